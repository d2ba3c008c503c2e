package org.harpjava.exapp.manifest;

import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.routes.DeclaredRoute;
import org.harpjava.exapp.routes.RouteScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoXmlRoutesTest {
    private static final List<DeclaredRoute> DECLARED = RouteScanner.scan(SampleHandlers.class);

    private static final String RENDERED = """
            <routes>
            \t<route>
            \t\t<url>^/api/notes/[^/]+$</url>
            \t\t<verb>GET,POST,PUT,DELETE,PATCH,HEAD,OPTIONS</verb>
            \t\t<access_level>USER</access_level>
            \t\t<bruteforce_protection>[]</bruteforce_protection>
            \t\t<headers_to_exclude>[]</headers_to_exclude>
            \t</route>
            \t<route>
            \t\t<url>^/api/notes$</url>
            \t\t<verb>GET</verb>
            \t\t<access_level>USER</access_level>
            \t\t<bruteforce_protection>[]</bruteforce_protection>
            \t\t<headers_to_exclude>[]</headers_to_exclude>
            \t</route>
            \t<route>
            \t\t<url>^/api/notes$</url>
            \t\t<verb>POST</verb>
            \t\t<access_level>USER</access_level>
            \t\t<bruteforce_protection>[401,429]</bruteforce_protection>
            \t\t<headers_to_exclude>[]</headers_to_exclude>
            \t</route>
            \t<route>
            \t\t<url>^/settings$</url>
            \t\t<verb>GET,PUT</verb>
            \t\t<access_level>ADMIN</access_level>
            \t\t<bruteforce_protection>[403]</bruteforce_protection>
            \t\t<headers_to_exclude>[]</headers_to_exclude>
            \t</route>
            \t<route>
            \t\t<url>^/public/.*$</url>
            \t\t<verb>GET</verb>
            \t\t<access_level>PUBLIC</access_level>
            \t\t<bruteforce_protection>[]</bruteforce_protection>
            \t\t<headers_to_exclude>["Cookie"]</headers_to_exclude>
            \t</route>
            \t<route>
            \t\t<url>^/ws$</url>
            \t\t<verb>GET</verb>
            \t\t<access_level>USER</access_level>
            \t\t<bruteforce_protection>[]</bruteforce_protection>
            \t\t<headers_to_exclude>[]</headers_to_exclude>
            \t</route>
            </routes>""";

    /** An info.xml as authors write them: comments, attributes, other elements around the routes. */
    private static final String INFO_XML = """
            <?xml version="1.0"?>
            <!-- SPDX-License-Identifier: AGPL-3.0-or-later -->
            <info xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            \t  xsi:noNamespaceSchemaLocation="https://apps.nextcloud.com/schema/apps/info.xsd">
            \t<id>notes_ex</id>
            \t<name>Notes &amp; more</name>
            \t<description><![CDATA[Keeps <routes> of notes]]></description>
            \t<version>1.0.0</version>
            \t<external-app>
            \t\t<docker-install>
            \t\t\t<registry>ghcr.io</registry>
            \t\t\t<image>example/notes_ex</image>
            \t\t</docker-install>
            \t\t<!-- the routes below are written by the build -->
            \t\t<routes>
            \t\t\t<route>
            \t\t\t\t<url>^/old$</url>
            \t\t\t\t<verb>GET</verb>
            \t\t\t\t<access_level>USER</access_level>
            \t\t\t</route>
            \t\t</routes>
            \t\t<environment-variables>
            \t\t\t<variable><name>NOTES_LIMIT</name><display-name>Limit</display-name></variable>
            \t\t</environment-variables>
            \t</external-app>
            </info>
            """;

    // ---------------------------------------------------------------- render

    @Test
    void rendersOneRoutePerDistinctRouteInAFixedOrder() {
        assertEquals(RENDERED, InfoXmlRoutes.render(DECLARED));
    }

    @Test
    void renderingDoesNotDependOnDeclarationOrder() {
        List<DeclaredRoute> shuffled = new ArrayList<>(DECLARED);
        Collections.reverse(shuffled);
        assertEquals(RENDERED, InfoXmlRoutes.render(shuffled));
        Collections.shuffle(shuffled, new java.util.Random(7));
        assertEquals(RENDERED, InfoXmlRoutes.render(shuffled));
    }

    @Test
    void rendersMoreSpecificUrlsFirstAndEscapesXml() {
        ManifestRoute all = route("^/api/.*", AccessLevel.USER);
        ManifestRoute admin = route("^/api/admin$", AccessLevel.ADMIN);
        ManifestRoute amp = route("^/a&b<c$", AccessLevel.PUBLIC);
        String xml = InfoXmlRoutes.renderRoutes(sorted(List.of(all, amp, admin)), "  ", "  ", "\n");
        assertTrue(xml.indexOf("^/api/admin$") < xml.indexOf("^/api/.*"), xml);
        assertTrue(xml.contains("    <route>\n      <url>^/a&amp;b&lt;c$</url>\n"), xml);
        assertTrue(xml.endsWith("\n  </routes>"), xml);
    }

    @Test
    void sameUrlPutsTheStricterAccessLevelFirst() {
        ManifestRoute get = new ManifestRoute("^/x$", List.of("GET"), AccessLevel.USER, List.of(), List.of());
        ManifestRoute post = new ManifestRoute("^/x$", List.of("POST"), AccessLevel.ADMIN, List.of(), List.of());
        assertEquals(List.of(post, get), sorted(List.of(get, post)));
    }

    // ---------------------------------------------------------------- parse

    @Test
    void parsesWhatItRenders() {
        InfoXmlRoutes.Manifest m = InfoXmlRoutes.parse("<info><external-app>" + RENDERED + "</external-app></info>");
        assertEquals(List.of(), m.findings());
        assertTrue(m.hasRoutes());
        assertEquals(InfoXmlRoutes.toManifest(DECLARED), m.routes());
        assertEquals(List.of(), InfoXmlRoutes.compare(DECLARED, m.routes()));
    }

    @Test
    void parsesNumericAccessLevelsLowerCaseVerbsAndEmptyLists() {
        InfoXmlRoutes.Manifest m = InfoXmlRoutes.parse(wrap("""
                <route><url>^/a$</url><verb> get , Post </verb><access_level>0</access_level></route>
                <route><url>^/b$</url><verb>DELETE,GET,PUT,POST,PATCH,HEAD,OPTIONS</verb><access_level>2</access_level>
                  <bruteforce_protection></bruteforce_protection><headers_to_exclude>[ "X-A", "x-a" ]</headers_to_exclude></route>
                <route><url>^/c$</url><verb>GET</verb><access_level> USER </access_level>
                  <bruteforce_protection>[ 401 , 401, 400 ]</bruteforce_protection></route>
                """));
        assertEquals(List.of(), m.findings());
        assertEquals(List.of(
                new ManifestRoute("^/a$", List.of("GET", "POST"), AccessLevel.PUBLIC, List.of(), List.of()),
                new ManifestRoute("^/b$", List.of(), AccessLevel.ADMIN, List.of(), List.of("X-A")),
                new ManifestRoute("^/c$", List.of("GET"), AccessLevel.USER, List.of(400, 401), List.of())),
                m.routes());
        assertTrue(m.routes().get(1).allVerbs());
    }

    @Test
    void noRoutesElementMeansNoRoutes() {
        InfoXmlRoutes.Manifest m = InfoXmlRoutes.parse("<info><id>x</id><external-app/></info>");
        assertFalse(m.hasRoutes());
        assertEquals(List.of(), m.routes());
        assertEquals(List.of(), m.findings());
    }

    @Test
    void reportsEachInvalidFieldAsAppApiWouldAndKeepsTheValidRoutes() {
        InfoXmlRoutes.Manifest m = InfoXmlRoutes.parse(wrap("""
                <route><verb>GET</verb><access_level>USER</access_level></route>
                <route><url>^/bad($</url><verb>GET</verb><access_level>USER</access_level></route>
                <route><url>^/noverb$</url><access_level>USER</access_level></route>
                <route><url>^/lower$</url><verb>GET</verb><access_level>user</access_level></route>
                <route><url>^/three$</url><verb>GET</verb><access_level>3</access_level></route>
                <route><url>^/noaccess$</url><verb>GET</verb></route>
                <route><url>^/bf$</url><verb>GET</verb><access_level>USER</access_level>
                  <bruteforce_protection>401</bruteforce_protection></route>
                <route><url>^/bfstr$</url><verb>GET</verb><access_level>USER</access_level>
                  <bruteforce_protection>["401"]</bruteforce_protection></route>
                <route><url>^/nested$</url><verb>GET</verb><access_level>USER</access_level>
                  <bruteforce_protection><status>401</status></bruteforce_protection></route>
                <route><url>^/hdr$</url><verb>GET</verb><access_level>USER</access_level>
                  <headers_to_exclude>{"a":"Cookie"}</headers_to_exclude></route>
                <route><url>^/hdrint$</url><verb>GET</verb><access_level>USER</access_level>
                  <headers_to_exclude>["Cookie", 1]</headers_to_exclude></route>
                <route><url>^/twice$</url><url>^/again$</url><verb>GET</verb><access_level>USER</access_level></route>
                <route><url>^/ok$</url><verb>GET</verb><access_level>ADMIN</access_level><comment>x</comment></route>
                <note/>
                """));
        List<String> errors = m.errors().stream().map(Finding::message).toList();
        assertEquals(List.of(
                "route #0: 'url' must be a non-empty string",
                "route '^/bad($': 'url' is not a valid regular expression: Unclosed group",
                "route '^/noverb$': 'verb' must be a non-empty string (e.g. 'GET' or 'GET,POST'); AppAPI refuses a"
                        + " route without one",
                "route '^/lower$': invalid 'access_level' 'user' (allowed: PUBLIC, USER, ADMIN, or 0, 1, 2)",
                "route '^/three$': invalid 'access_level' '3' (allowed: PUBLIC, USER, ADMIN, or 0, 1, 2)",
                "route '^/noaccess$': 'access_level' is required and must be one of PUBLIC|USER|ADMIN (or 0|1|2)",
                "route '^/bf$': 'bruteforce_protection' must be a JSON array, got '401'",
                "route '^/bfstr$': 'bruteforce_protection' must contain only integers (HTTP status codes), entry at"
                        + " index 0 is \"401\"",
                "route '^/nested$': 'bruteforce_protection' holds XML elements; write its value as text, a JSON"
                        + " array such as [401,429]",
                "route '^/hdr$': 'headers_to_exclude' must be a JSON array, got '{\"a\":\"Cookie\"}'",
                "route '^/hdrint$': 'headers_to_exclude' must contain only strings (header names), entry at index 1"
                        + " is 1",
                "route #11: 'url' appears 2 times"), errors);
        List<String> warnings = m.findings().stream().filter(f -> !f.isError()).map(Finding::message).toList();
        assertEquals(List.of("route #12: unknown element <comment> is ignored",
                "<routes> holds <note>, which AppAPI ignores; routes are <route> elements"), warnings);
        assertEquals(List.of(new ManifestRoute("^/ok$", List.of("GET"), AccessLevel.ADMIN, List.of(), List.of())),
                m.routes());
    }

    @Test
    void reportsMalformedXmlAndAWrongRoot() {
        InfoXmlRoutes.Manifest broken = InfoXmlRoutes.parse("<info><external-app></info>");
        assertEquals(1, broken.errors().size());
        assertTrue(broken.errors().get(0).message().startsWith("info.xml is not well-formed XML"), broken.toString());
        InfoXmlRoutes.Manifest wrongRoot = InfoXmlRoutes.parse("<app/>");
        assertEquals("the root element of info.xml is <app>, not <info>", wrongRoot.errors().get(0).message());
    }

    @Test
    void readsNoExternalEntityOrDtd(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String xml = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE info SYSTEM \"http://127.0.0.1:9/never.dtd\" [\n"
                + "  <!ENTITY leak SYSTEM \"" + secret.toUri() + "\">\n"
                + "]>\n"
                + "<info><external-app><routes><route><url>^/&leak;x$</url><verb>GET</verb>"
                + "<access_level>USER</access_level></route></routes></external-app></info>";
        InfoXmlRoutes.Manifest m = InfoXmlRoutes.parse(xml);
        assertFalse(m.toString().contains("TOP-SECRET"), m.toString());
        assertEquals(List.of(), m.findings());
        assertEquals(List.of("^/x$"), m.routes().stream().map(ManifestRoute::url).toList(),
                "the external entity is left unresolved");
    }

    // ---------------------------------------------------------------- write

    @Test
    void writeReplacesOnlyTheRoutesElement() {
        String out = InfoXmlRoutes.write(INFO_XML, DECLARED);
        int start = INFO_XML.indexOf("\t\t<routes>") + 2;
        int end = INFO_XML.indexOf("</routes>") + "</routes>".length();
        assertTrue(out.startsWith(INFO_XML.substring(0, start)), out);
        assertTrue(out.endsWith(INFO_XML.substring(end)), out);
        String replaced = out.substring(start, out.length() - (INFO_XML.length() - end));
        assertEquals(RENDERED.replace("\n", "\n\t\t"), replaced);
        InfoXmlRoutes.Manifest m = InfoXmlRoutes.parse(out);
        assertEquals(List.of(), m.findings());
        assertEquals(List.of(), InfoXmlRoutes.compare(DECLARED, m.routes()));
        assertEquals(out, InfoXmlRoutes.write(out, DECLARED), "writing again changes nothing");
    }

    @Test
    void writeAddsMissingRoutesWithTheFilesIndentationAndLineEnds() {
        String xml = "<?xml version=\"1.0\"?>\r\n<info>\r\n    <id>x</id>\r\n    <external-app>\r\n"
                + "        <docker-install><image>x</image></docker-install>\r\n    </external-app>\r\n</info>\r\n";
        List<DeclaredRoute> one = DECLARED.stream().filter(d -> d.path().equals("/settings")).toList();
        String out = InfoXmlRoutes.write(xml, one);
        assertEquals("<?xml version=\"1.0\"?>\r\n<info>\r\n    <id>x</id>\r\n    <external-app>\r\n"
                + "        <docker-install><image>x</image></docker-install>\r\n"
                + "        <routes>\r\n"
                + "            <route>\r\n"
                + "                <url>^/settings$</url>\r\n"
                + "                <verb>GET,PUT</verb>\r\n"
                + "                <access_level>ADMIN</access_level>\r\n"
                + "                <bruteforce_protection>[403]</bruteforce_protection>\r\n"
                + "                <headers_to_exclude>[]</headers_to_exclude>\r\n"
                + "            </route>\r\n"
                + "        </routes>\r\n"
                + "    </external-app>\r\n</info>\r\n", out);
    }

    @Test
    void writeAddsAMissingExternalAppAndExpandsAnEmptyOne() {
        List<DeclaredRoute> one = DECLARED.stream().filter(d -> d.path().equals("/ws")).toList();
        String added = InfoXmlRoutes.write("<info>\n\t<id>x</id>\n</info>\n", one);
        assertEquals("<info>\n\t<id>x</id>\n\t<external-app>\n\t\t<routes>\n\t\t\t<route>\n"
                + "\t\t\t\t<url>^/ws$</url>\n\t\t\t\t<verb>GET</verb>\n\t\t\t\t<access_level>USER</access_level>\n"
                + "\t\t\t\t<bruteforce_protection>[]</bruteforce_protection>\n"
                + "\t\t\t\t<headers_to_exclude>[]</headers_to_exclude>\n\t\t\t</route>\n\t\t</routes>\n"
                + "\t</external-app>\n</info>\n", added);
        String expanded = InfoXmlRoutes.write("<info>\n\t<id>x</id>\n\t<external-app />\n</info>\n", one);
        assertEquals(added, expanded);
        assertEquals(List.of(), InfoXmlRoutes.compare(one, InfoXmlRoutes.parse(expanded).routes()));
    }

    @Test
    void writeRemovesTheRoutesWhenNoneAreDeclared() {
        String out = InfoXmlRoutes.write(INFO_XML, List.of());
        int start = INFO_XML.indexOf("\t\t<routes>");
        int end = INFO_XML.indexOf("</routes>\n") + "</routes>\n".length();
        assertEquals(INFO_XML.substring(0, start) + INFO_XML.substring(end), out);
        assertEquals("<info><id>x</id></info>", InfoXmlRoutes.write("<info><id>x</id></info>", List.of()));
    }

    @Test
    void writeRefusesWhatIsNotAnInfoXml() {
        assertThrows(IllegalArgumentException.class, () -> InfoXmlRoutes.write("<app><routes/></app>", DECLARED));
        assertThrows(IllegalArgumentException.class, () -> InfoXmlRoutes.write(
                "<info><external-app/><external-app/></info>", DECLARED));
    }

    @Test
    void writeKeepsTheFilesBytesAndEncoding(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("info.xml");
        String xml = INFO_XML.replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
                .replace("Notes &amp; more", "Caf\u00e9 notes");
        byte[] before = xml.getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, before);
        assertTrue(InfoXmlRoutes.write(file, DECLARED));
        byte[] after = Files.readAllBytes(file);
        int start = xml.indexOf("\t\t<routes>") + 2;
        int tail = xml.length() - (xml.indexOf("</routes>") + "</routes>".length());
        assertEquals(new String(before, 0, start, StandardCharsets.ISO_8859_1),
                new String(after, 0, start, StandardCharsets.ISO_8859_1));
        assertEquals((byte) 0xE9, after[xml.indexOf('\u00e9')], "é stays one Latin-1 byte");
        assertEquals(new String(before, before.length - tail, tail, StandardCharsets.ISO_8859_1),
                new String(after, after.length - tail, tail, StandardCharsets.ISO_8859_1));
        assertEquals(List.of(), InfoXmlRoutes.compare(DECLARED, InfoXmlRoutes.read(file).routes()));
        assertFalse(InfoXmlRoutes.write(file, DECLARED), "an up-to-date file is not rewritten");
    }

    @Test
    void writeKeepsAByteOrderMark(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("info.xml");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "<info>\n\t<external-app>\n\t</external-app>\n</info>\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, bom.length);
        System.arraycopy(body, 0, content, bom.length, body.length);
        Files.write(file, content);
        assertTrue(InfoXmlRoutes.write(file, DECLARED));
        byte[] after = Files.readAllBytes(file);
        assertEquals(bom[0], after[0]);
        assertEquals(bom[1], after[1]);
        assertEquals(bom[2], after[2]);
        assertEquals(List.of(), InfoXmlRoutes.read(file).findings());
    }

    @Test
    void writeRefusesAMalformedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("info.xml");
        Files.writeString(file, "<info><external-app></info>");
        assertThrows(IllegalArgumentException.class, () -> InfoXmlRoutes.write(file, DECLARED));
        assertEquals("<info><external-app></info>", Files.readString(file));
    }

    // ---------------------------------------------------------------- compare

    @Test
    void comparesFieldByFieldAndByPresence() {
        List<ManifestRoute> manifest = new ArrayList<>(InfoXmlRoutes.toManifest(DECLARED));
        manifest.removeIf(r -> r.url().equals("^/ws$"));
        manifest.replaceAll(r -> switch (r.url()) {
            case "^/settings$" -> new ManifestRoute(r.url(), List.of("GET"), AccessLevel.USER, List.of(),
                    List.of("Cookie"));
            case "^/public/.*$" -> new ManifestRoute(r.url(), r.verbs(), r.access(), List.of(), List.of());
            default -> r;
        });
        manifest.add(route("^/legacy$", AccessLevel.ADMIN));
        manifest.add(manifest.get(0));
        String settings = "route ^/settings$ (org.harpjava.exapp.manifest.SampleHandlers.settings)";
        assertEquals(List.of(
                "listed more than once in info.xml: ^/api/notes/[^/]+$ (all methods) USER",
                settings + ": access level is ADMIN in code but USER in info.xml",
                settings + ": verbs are GET,PUT in code but GET in info.xml",
                settings + ": bruteforce_protection is [403] in code but [] in info.xml",
                settings + ": headers_to_exclude is [] in code but [\"Cookie\"] in info.xml",
                "route ^/public/.*$ (org.harpjava.exapp.manifest.SampleHandlers.assets): headers_to_exclude is"
                        + " [\"Cookie\"] in code but [] in info.xml",
                "missing in info.xml: ^/ws$ GET USER, declared by org.harpjava.exapp.manifest.SampleHandlers.chat",
                "not declared in code: ^/legacy$ GET ADMIN, listed in info.xml"),
                InfoXmlRoutes.compare(DECLARED, manifest));
    }

    @Test
    void comparePairsRoutesOfTheSameUrlByVerbs() {
        List<ManifestRoute> manifest = new ArrayList<>(InfoXmlRoutes.toManifest(DECLARED));
        manifest.replaceAll(r -> r.url().equals("^/api/notes$") && r.verbs().equals(List.of("POST"))
                ? new ManifestRoute(r.url(), r.verbs(), AccessLevel.ADMIN, r.bruteforce(), List.of()) : r);
        assertEquals(List.of("route ^/api/notes$ (org.harpjava.exapp.manifest.SampleHandlers.create,"
                        + " org.harpjava.exapp.manifest.SampleHandlers.createAgain): access level is USER in code but"
                        + " ADMIN in info.xml"),
                InfoXmlRoutes.compare(DECLARED, manifest));
        assertEquals(List.of(), InfoXmlRoutes.compare(List.of(), List.of()));
    }

    // ---------------------------------------------------------------- lint

    @Test
    void warnsWhereHarpAndThePhpProxyDiffer() {
        List<String> warnings = InfoXmlRoutes.lintDeclared(DECLARED).stream().map(Finding::toString).toList();
        assertEquals(List.of(
                "warning: routes '^/api/notes$' (GET) and '^/api/notes$' (POST) match the same paths with different"
                        + " verbs; Nextcloud's HaRP ignores verbs and applies the first one's bruteforce_protection []"
                        + " to both (AppAPI's PHP proxy and harp-server pick by verb)",
                "warning: route '^/public/.*$': headers_to_exclude [\"Cookie\"] is applied by AppAPI's PHP proxy"
                        + " only; Nextcloud's HaRP passes these headers to the ExApp",
                "note: WebSocket endpoint /ws (org.harpjava.exapp.manifest.SampleHandlers.chat) works only through"
                        + " HaRP; AppAPI's PHP proxy does not carry WebSockets"), warnings);
    }

    @Test
    void warnsAboutRoutesAnEarlierRouteShadows() {
        ManifestRoute all = route("^/api/.*", AccessLevel.USER);
        ManifestRoute admin = route("^/api/admin$", AccessLevel.ADMIN);
        List<Finding> findings = InfoXmlRoutes.lint(List.of(all, admin));
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).message().startsWith("route '^/api/admin$' (^/api/admin$ GET ADMIN) comes after"
                + " route '^/api/.*', which matches the same paths and methods first"), findings.toString());
        assertEquals(List.of(), InfoXmlRoutes.lint(List.of(admin, all)), "the specific route first is fine");
        assertEquals(List.of(), InfoXmlRoutes.lint(List.of(all, route("^/api/x$", AccessLevel.USER))),
                "a shadowed route that means the same is harmless");
    }

    @Test
    void warnsAboutUrlsPythonCannotCompileAndMethodsThePhpProxyDoesNotServe() {
        ManifestRoute quoted = route("^\\Q/v1.0\\E$", AccessLevel.USER);
        ManifestRoute named = route("^/(?<id>[0-9]+)$", AccessLevel.USER);
        ManifestRoute lookbehind = route("^/(?<=x)a\\.b\\d$", AccessLevel.USER);
        ManifestRoute patch = new ManifestRoute("^/p$", List.of("PATCH", "GET"), AccessLevel.USER, List.of(),
                List.of());
        List<String> messages = InfoXmlRoutes.lint(List.of(quoted, named, lookbehind, patch)).stream()
                .map(Finding::message).toList();
        assertEquals(List.of(
                "route '^\\Q/v1.0\\E$': it uses \\Q quoting (escape each special character with \\ instead), which"
                        + " Python's re (used by Nextcloud's HaRP) rejects; HaRP cannot use this route",
                "route '^/(?<id>[0-9]+)$': it uses the named group (?<name>...) (Python spells it (?P<name>...)),"
                        + " which Python's re (used by Nextcloud's HaRP) rejects; HaRP cannot use this route",
                "route '^/p$': AppAPI's PHP proxy serves only GET, POST, PUT and DELETE, so PATCH reaches the ExApp"
                        + " only through HaRP"), messages);
    }

    private static ManifestRoute route(String url, AccessLevel access) {
        return new ManifestRoute(url, List.of("GET"), access, List.of(), List.of());
    }

    private static List<ManifestRoute> sorted(List<ManifestRoute> routes) {
        return InfoXmlRoutes.inWritingOrder(routes);
    }

    private static String wrap(String routes) {
        return "<info><external-app><routes>" + routes + "</routes></external-app></info>";
    }
}
