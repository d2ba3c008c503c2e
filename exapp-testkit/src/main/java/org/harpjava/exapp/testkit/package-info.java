/**
 * Test kit for ExApps: a recording fake Nextcloud that answers AppAPI's OCS calls on loopback, and a client that
 * signs requests to an ExApp exactly as AppAPI and HaRP do.
 */
package org.harpjava.exapp.testkit;
