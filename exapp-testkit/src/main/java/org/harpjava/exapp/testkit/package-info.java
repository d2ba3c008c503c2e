/**
 * Test kit for ExApps: a recording fake Nextcloud that answers AppAPI's OCS calls on loopback, a client that signs
 * requests to an ExApp exactly as AppAPI and HaRP do, and a headless Chromium page ({@link Browser}) for testing an
 * ExApp's web page.
 */
package org.harpjava.exapp.testkit;
