package org.harpjava.exapp.manifest;

import org.harpjava.exapp.Route;
import org.harpjava.exapp.routes.DeclaredRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassScannerTest {
    private static final String IMPORTS = """
            import io.helidon.webserver.http.ServerRequest;
            import io.helidon.webserver.http.ServerResponse;
            import io.helidon.websocket.WsListener;
            import org.harpjava.exapp.AccessLevel;
            import org.harpjava.exapp.Route;
            import org.harpjava.exapp.WebSocketRoute;
            """;

    private static final Map<String, String> APP = Map.of(
            "com.example.Notes", "package com.example;\n" + IMPORTS + """
                    public class Notes {
                        @Route(path = "/notes", methods = "GET")
                        void list(ServerRequest req, ServerResponse res) {
                        }

                        public static class Admin {
                            @Route(path = "/admin", access = AccessLevel.ADMIN)
                            void admin(ServerResponse res) {
                            }
                        }

                        /** Names Route.class without declaring a route. */
                        static Class<?> annotation() {
                            return Route.class;
                        }
                    }
                    """,
            "com.example.ws.Chat", "package com.example.ws;\n" + IMPORTS + """
                    public class Chat {
                        @WebSocketRoute(path = "/ws")
                        WsListener open() {
                            return new WsListener() {
                            };
                        }
                    }
                    """,
            "com.example.Plain", "package com.example;\npublic class Plain extends Base {\n}\n",
            "com.example.Base", "package com.example;\npublic class Base {\n}\n",
            "com.example.Broken", "package com.example;\n" + IMPORTS + """
                    public class Broken extends Base {
                        @Route(path = "/broken")
                        void broken(ServerResponse res) {
                        }
                    }
                    """);

    @Test
    void findsEveryClassWithRouteMethods(@TempDir Path dir) throws Exception {
        Path classes = Compiler.compile(dir, APP);
        Files.delete(classes.resolve("com/example/Broken.class"));
        try (URLClassLoader loader = loader(classes)) {
            List<String> names = ClassScanner.routeClasses(classes, loader).stream().map(Class::getName).toList();
            assertEquals(List.of("com.example.Notes", "com.example.Notes$Admin", "com.example.ws.Chat"), names);
            List<String> routes = ClassScanner.routes(classes, loader).stream()
                    .map(r -> r.url() + " " + r.access() + " " + r.webSocket()).toList();
            assertEquals(List.of("^/notes$ USER false", "^/admin$ ADMIN false", "^/ws$ USER true"), routes);
        }
    }

    @Test
    void loadsOnlyClassesThatNameARouteAnnotation(@TempDir Path dir) throws Exception {
        Path classes = Compiler.compile(dir, APP);
        Files.delete(classes.resolve("com/example/Broken.class"));
        // Plain cannot be loaded any more; it declares no route, so it is never loaded.
        Files.delete(classes.resolve("com/example/Base.class"));
        try (URLClassLoader loader = loader(classes)) {
            assertEquals(3, ClassScanner.routeClasses(classes, loader).size());
        }
    }

    @Test
    void failsOnARouteClassThatCannotBeLoaded(@TempDir Path dir) throws Exception {
        Path classes = Compiler.compile(dir, APP);
        Files.delete(classes.resolve("com/example/Base.class"));
        try (URLClassLoader loader = loader(classes)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClassScanner.routeClasses(classes, loader));
            assertTrue(e.getMessage().startsWith("cannot load com.example.Broken"), e.getMessage());
        }
    }

    @Test
    void reportsInvalidRouteDeclarations(@TempDir Path dir) throws Exception {
        Path classes = Compiler.compile(dir, Map.of("com.example.Bad", "package com.example;\n" + IMPORTS + """
                public class Bad {
                    @Route(path = "notes")
                    void list(ServerResponse res) {
                    }
                }
                """));
        try (URLClassLoader loader = loader(classes)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClassScanner.routes(classes, loader));
            assertTrue(e.getMessage().contains("com.example.Bad.list declares path \"notes\""), e.getMessage());
        }
    }

    @Test
    void refusesALoaderWithItsOwnCopyOfTheSdk(@TempDir Path dir) throws Exception {
        Path classes = Compiler.compile(dir, APP);
        URL sdk = Route.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[]{classes.toUri().toURL(), sdk},
                ClassLoader.getPlatformClassLoader())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClassScanner.routeClasses(classes, isolated));
            assertTrue(e.getMessage().contains("own copy of org.harpjava.exapp.Route"), e.getMessage());
        }
    }

    @Test
    void aMissingDirectoryHasNoRoutes(@TempDir Path dir) throws Exception {
        List<DeclaredRoute> routes = ClassScanner.routes(dir.resolve("absent"), getClass().getClassLoader());
        assertEquals(List.of(), routes);
    }

    @Test
    void recognisesTheAnnotationDescriptorsInClassFiles(@TempDir Path dir) throws Exception {
        Path classes = Compiler.compile(dir, APP);
        assertTrue(ClassScanner.mentionsRouteAnnotation(Files.readAllBytes(classes.resolve("com/example/Notes.class"))));
        assertTrue(ClassScanner.mentionsRouteAnnotation(
                Files.readAllBytes(classes.resolve("com/example/ws/Chat.class"))));
        assertEquals(false, ClassScanner.mentionsRouteAnnotation(
                Files.readAllBytes(classes.resolve("com/example/Plain.class"))));
    }

    private static URLClassLoader loader(Path classes) throws Exception {
        return new URLClassLoader(new URL[]{classes.toUri().toURL()}, ClassScannerTest.class.getClassLoader());
    }
}
