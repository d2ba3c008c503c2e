/**
 * The routes of an ExApp's {@code appinfo/info.xml}: rendered from the {@link org.harpjava.exapp.Route} and
 * {@link org.harpjava.exapp.WebSocketRoute} declarations, read back, validated as AppAPI validates them, written
 * into an existing file and compared with the code. {@link org.harpjava.exapp.manifest.InfoXmlRoutes} is the
 * entry point; {@link org.harpjava.exapp.manifest.ClassScanner} finds the declaring classes in a build's output.
 */
package org.harpjava.exapp.manifest;
