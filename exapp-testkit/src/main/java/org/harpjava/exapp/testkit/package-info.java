/**
 * Test kit for ExApps: a recording fake Nextcloud that answers AppAPI's OCS calls on loopback, a client that signs
 * requests to an ExApp exactly as AppAPI and HaRP do, and a headless Chromium page ({@link Browser}) for testing an
 * ExApp's web page. For Talk bots, {@link org.harpjava.exapp.testkit.TalkBotEvent} builds and signs the events Talk
 * posts, and the fake keeps the messages a bot posts back ({@link org.harpjava.exapp.testkit.TalkBotPost}).
 */
package org.harpjava.exapp.testkit;
