package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

/** What every sub-API needs: the transport, the acting user ("" for the system context) and shared caches. */
record Session(Transport transport, String user, CapabilitiesCache capabilities) {
    JsonNode ocs(Call call) {
        return transport.ocs(call, user);
    }

    long download(Call call, java.io.OutputStream out) {
        return transport.download(call, user, out);
    }

    int send(Call call) {
        return transport.send(call, user);
    }

    String appId() {
        return transport.identity().appId();
    }

    /** The acting user, or an {@link IllegalStateException} naming {@code what} needs one. */
    String requireUser(String what) {
        if (user.isEmpty()) {
            throw new IllegalStateException(what + " needs a user: use NextcloudClient.asUser(uid)");
        }
        return user;
    }
}
