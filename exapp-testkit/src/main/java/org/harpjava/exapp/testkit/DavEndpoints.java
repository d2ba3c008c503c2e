package org.harpjava.exapp.testkit;

import org.harpjava.exapp.testkit.Ocs.Reply;

import java.util.Optional;

/** WebDAV user files ({@code /remote.php/dav/files/<user>/<path>}): GET and PUT, kept in memory. */
final class DavEndpoints {
    static final String BASE = "/remote.php/dav/files/";

    private final FakeState state;

    DavEndpoints(FakeState state) {
        this.state = state;
    }

    Optional<Reply> handle(Exchange ex) {
        String p = ex.path();
        if (!p.startsWith(BASE)) {
            return Optional.empty();
        }
        String rest = p.substring(BASE.length());
        int slash = rest.indexOf('/');
        String owner = slash < 0 ? rest : rest.substring(0, slash);
        String file = slash < 0 ? "" : rest.substring(slash + 1);
        if (ex.user().isEmpty()) {
            return Optional.of(Ocs.davError(401, "Sabre\\DAV\\Exception\\NotAuthenticated", "No user"));
        }
        if (!owner.equals(ex.user())) {
            return Optional.of(Ocs.davError(403, "Sabre\\DAV\\Exception\\Forbidden", "Not your files"));
        }
        String key = FakeState.fileKey(owner, file);
        return Optional.of(switch (ex.method()) {
            case "GET" -> {
                byte[] content;
                synchronized (state) {
                    content = state.files.get(key);
                }
                yield content == null
                        ? Ocs.davError(404, "Sabre\\DAV\\Exception\\NotFound", "File with name " + file + " could not be located")
                        : Reply.of(200, "application/octet-stream", content);
            }
            case "PUT" -> {
                boolean existed;
                synchronized (state) {
                    existed = state.files.put(key, ex.request().body()) != null;
                }
                yield Reply.empty(existed ? 204 : 201);
            }
            default -> Ocs.davError(405, "Sabre\\DAV\\Exception\\MethodNotAllowed", "Method not allowed");
        });
    }
}
