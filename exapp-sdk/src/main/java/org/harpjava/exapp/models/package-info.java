/**
 * Fetching what an ExApp needs before it can work, such as a speech or language model, during AppAPI's
 * {@code /init}: {@link org.harpjava.exapp.models.ModelInstaller} downloads a zip archive with progress, unpacks it
 * safely and moves it into place.
 */
package org.harpjava.exapp.models;
