package org.harpjava.exapp.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the two goals as Maven would, on a fixture ExApp: its route class compiled into {@code target/classes} and
 * its {@code info.xml} in {@code src/main/resources/appinfo}, with routes that do not match the code.
 */
class RoutesAndCheckMojoTest {
    private static final String ORIGIN = "com.example.notes.NotesRoutes.";

    @TempDir
    Path project;
    private Path classes;
    private Path infoXml;
    private Path builtInfoXml;
    private String original;

    @BeforeEach
    void lay() throws Exception {
        classes = project.resolve("target/classes");
        compileFixture(project.resolve("src/main/java"), classes);
        infoXml = project.resolve("src/main/resources/appinfo/info.xml");
        Files.createDirectories(infoXml.getParent());
        original = resource("fixture/info.xml");
        Files.writeString(infoXml, original);
        // What the resources phase has copied before the classes are compiled.
        builtInfoXml = classes.resolve("appinfo/info.xml");
        Files.createDirectories(builtInfoXml.getParent());
        Files.writeString(builtInfoXml, original);
    }

    @Test
    void checkFailsListingEveryDifferenceThenPassesAfterRoutes() throws Exception {
        RecordingLog checkLog = new RecordingLog();
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> check(checkLog).execute());
        assertEquals(String.join(System.lineSeparator(),
                "The routes of " + infoXml + " do not match the code (5 problems):",
                "  - route ^/api/notes$ (" + ORIGIN + "notes): access level is USER in code but ADMIN in info.xml",
                "  - missing in info.xml: ^/api/admin/[^/]+$ PUT ADMIN, declared by " + ORIGIN + "setting",
                "  - missing in info.xml: ^/public/.*$ GET PUBLIC excluding [\"Cookie\"], declared by " + ORIGIN
                        + "assets",
                "  - missing in info.xml: ^/ws$ GET USER, declared by " + ORIGIN + "live",
                "  - not declared in code: ^/api/old$ GET USER, listed in info.xml",
                "To rewrite them from the code: mvn process-classes with the routes goal bound, or mvn compile"
                        + " org.harpjava:exapp-maven-plugin:routes"), e.getMessage());
        assertEquals(original, Files.readString(infoXml), "check writes nothing");

        RecordingLog routesLog = new RecordingLog();
        routes(routesLog).execute();
        assertTrue(routesLog.at("info").contains("Wrote 4 routes into " + infoXml), routesLog.lines.toString());
        assertEquals(List.of("route '^/public/.*$': headers_to_exclude [\"Cookie\"] is applied by AppAPI's PHP"
                + " proxy only; Nextcloud's HaRP passes these headers to the ExApp"), routesLog.at("warn"));

        String written = Files.readString(infoXml);
        assertEquals(written, Files.readString(builtInfoXml), "the copy among the classes is updated too");
        int start = original.indexOf("<routes>");
        int tail = original.length() - (original.indexOf("</routes>") + "</routes>".length());
        assertEquals(original.substring(0, start), written.substring(0, start));
        assertEquals(original.substring(original.length() - tail), written.substring(written.length() - tail));
        assertEquals(List.of("^/api/admin/[^/]+$ PUT ADMIN", "^/api/notes$ GET,POST USER", "^/public/.*$ GET PUBLIC",
                "^/ws$ GET USER"), routesOf(infoXml));

        RecordingLog passLog = new RecordingLog();
        check(passLog).execute();
        assertEquals(List.of("The 4 routes of " + infoXml + " match the code"), passLog.at("info"));

        RecordingLog againLog = new RecordingLog();
        routes(againLog).execute();
        assertEquals(written, Files.readString(infoXml));
        assertTrue(againLog.at("info").contains("The routes of " + infoXml + " are up to date"),
                againLog.lines.toString());
    }

    @Test
    void checkFailsOnRoutesAppApiWouldRefuse() throws Exception {
        routes(new RecordingLog()).execute();
        Files.writeString(infoXml, Files.readString(infoXml)
                .replace("<access_level>PUBLIC</access_level>", "<access_level>public</access_level>"));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> check(new RecordingLog()).execute());
        assertTrue(e.getMessage().contains("(2 problems)"), e.getMessage());
        assertTrue(e.getMessage().contains("  - route '^/public/.*$': invalid 'access_level' 'public' (allowed:"
                + " PUBLIC, USER, ADMIN, or 0, 1, 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("  - missing in info.xml: ^/public/.*$ GET PUBLIC"), e.getMessage());
    }

    @Test
    void checkFailsWhenTheCodeChangesAfterwards() throws Exception {
        routes(new RecordingLog()).execute();
        check(new RecordingLog()).execute();
        Files.writeString(infoXml, Files.readString(infoXml).replace("[401]", "[401,429]"));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> check(new RecordingLog()).execute());
        assertTrue(e.getMessage().contains("  - route ^/api/notes$ (" + ORIGIN + "notes): bruteforce_protection is"
                + " [401] in code but [401,429] in info.xml"), e.getMessage());
    }

    @Test
    void bothGoalsNeedTheInfoXml() throws Exception {
        Files.delete(infoXml);
        for (AbstractRoutesMojo mojo : List.of(routes(new RecordingLog()), check(new RecordingLog()))) {
            MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
            assertTrue(e.getMessage().startsWith("no info.xml at " + infoXml), e.getMessage());
        }
    }

    @Test
    void skipLeavesEverythingAlone() throws Exception {
        RoutesMojo routes = routes(new RecordingLog());
        routes.skip = true;
        routes.execute();
        CheckMojo check = check(new RecordingLog());
        check.skip = true;
        check.execute();
        assertEquals(original, Files.readString(infoXml));
    }

    @Test
    void anInvalidDeclarationFailsTheGoal() throws Exception {
        Path bad = project.resolve("bad");
        Path badClasses = bad.resolve("classes");
        compile(Map.of("com/example/Bad.java", """
                package com.example;
                public class Bad {
                    @org.harpjava.exapp.Route(path = "/heartbeat")
                    void beat(io.helidon.webserver.http.ServerResponse res) {
                    }
                }
                """), bad.resolve("src"), badClasses);
        RoutesMojo routes = routes(new RecordingLog());
        routes.classesDirectory = badClasses.toFile();
        routes.classpathElements = List.of(badClasses.toString());
        MojoFailureException e = assertThrows(MojoFailureException.class, routes::execute);
        assertEquals("com.example.Bad.beat declares /heartbeat, which the SDK serves for AppAPI", e.getMessage());
        assertEquals(original, Files.readString(infoXml));
    }

    @Test
    void theDescriptorBindsTheGoalsToTheirPhases() throws Exception {
        Document plugin;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/maven/plugin.xml")) {
            assertNotNull(in, "the build generates the plugin descriptor");
            plugin = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(in);
        }
        assertEquals("exapp", plugin.getElementsByTagName("goalPrefix").item(0).getTextContent());
        Map<String, String> phases = new HashMap<>();
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = mojo.getElementsByTagName("goal").item(0).getTextContent();
            phases.put(goal, mojo.getElementsByTagName("phase").item(0).getTextContent());
            assertEquals("compile", mojo.getElementsByTagName("requiresDependencyResolution").item(0)
                    .getTextContent(), goal);
        }
        assertEquals(Map.of("routes", "process-classes", "check", "verify"), phases);
    }

    private RoutesMojo routes(RecordingLog log) {
        RoutesMojo mojo = new RoutesMojo();
        configure(mojo, log);
        mojo.builtInfoXml = builtInfoXml.toFile();
        return mojo;
    }

    private CheckMojo check(RecordingLog log) {
        CheckMojo mojo = new CheckMojo();
        configure(mojo, log);
        return mojo;
    }

    private void configure(AbstractRoutesMojo mojo, RecordingLog log) {
        mojo.setLog(log);
        mojo.classesDirectory = classes.toFile();
        // Maven's compile class path starts with the output directory; the SDK comes from the plugin itself.
        mojo.classpathElements = List.of(classes.toString());
        mojo.infoXml = infoXml.toFile();
    }

    /** Routes of a file as "url verbs access", in file order. */
    private static List<String> routesOf(Path file) throws Exception {
        return org.harpjava.exapp.manifest.InfoXmlRoutes.read(file).routes().stream()
                .map(r -> r.url() + " " + (r.allVerbs() ? "*" : String.join(",", r.verbs())) + " " + r.access())
                .toList();
    }

    private static void compileFixture(Path src, Path out) throws Exception {
        String path = "com/example/notes/NotesRoutes.java";
        compile(Map.of(path, resource("fixture/" + path)), src, out);
    }

    private static void compile(Map<String, String> sources, Path src, Path out) throws Exception {
        Files.createDirectories(out);
        List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString(), "-proc:none",
                "-classpath", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = RoutesAndCheckMojoTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
