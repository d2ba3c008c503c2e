/** Maven goals that keep {@code appinfo/info.xml} in step with the ExApp's route declarations. */
package org.harpjava.exapp.maven;
