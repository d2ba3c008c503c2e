package org.harpjava.exapp.lifecycle;

/**
 * Called when AppAPI enables or disables the ExApp ({@code PUT /enabled}): register or unregister what the app
 * provides (UI, TaskProcessing providers, Talk bots, occ commands). Must be idempotent and finish well within
 * AppAPI's 60 s; throwing reports the message to AppAPI, which then keeps or turns the app off.
 */
@FunctionalInterface
public interface EnabledHandler {
    void handle(boolean enabled) throws Exception;
}
