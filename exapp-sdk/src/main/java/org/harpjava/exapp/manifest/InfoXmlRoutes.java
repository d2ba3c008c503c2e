package org.harpjava.exapp.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.routes.DeclaredRoute;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code <external-app><routes>} of an ExApp's {@code appinfo/info.xml}, and how they relate to the routes
 * the code declares.
 *
 * <ul>
 *   <li>{@link #render} writes declared routes as a {@code <routes>} element: one {@code <route>} per distinct
 *   url, verbs, access level, brute-force statuses and excluded headers, in a fixed order (more specific urls
 *   first, since both proxies apply the first route whose url matches).</li>
 *   <li>{@link #parse} / {@link #read} read the routes of a file and validate them as AppAPI does when it
 *   registers an ExApp ({@code ExAppRouteHelper}).</li>
 *   <li>{@link #write(Path, Collection)} replaces only the {@code <routes>} element, leaving every other character
 *   of the file as it was.</li>
 *   <li>{@link #compare} lists, one line each, how the file differs from the code.</li>
 *   <li>{@link #lint} warns where Nextcloud's HaRP and AppAPI's PHP proxy would treat the routes differently.</li>
 * </ul>
 */
public final class InfoXmlRoutes {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final List<String> FIELDS =
            List.of("url", "verb", "access_level", "bruteforce_protection", "headers_to_exclude");
    /** Escapes Python's {@code re} knows; any other backslash-letter is an error there. */
    private static final String PYTHON_LETTER_ESCAPES = "abBdDfnrsStvwWZAxuUN";
    private static final List<String> PHP_PROXY_VERBS = List.of("GET", "POST", "PUT", "DELETE");
    private static final String DEFAULT_UNIT = "\t";

    /**
     * The routes of an {@code info.xml}.
     *
     * @param hasRoutes whether the file has an {@code <external-app><routes>} element
     * @param routes    the valid routes, in file order
     * @param findings  what AppAPI would reject (errors) or what looks wrong (warnings)
     */
    public record Manifest(boolean hasRoutes, List<ManifestRoute> routes, List<Finding> findings) {
        public Manifest {
            routes = List.copyOf(routes);
            findings = List.copyOf(findings);
        }

        /** The findings that would make AppAPI refuse the ExApp. */
        public List<Finding> errors() {
            return findings.stream().filter(Finding::isError).toList();
        }
    }

    private InfoXmlRoutes() {
    }

    // ---------------------------------------------------------------- from code

    /** The routes {@code info.xml} must list for {@code declared}: distinct, in the order they are written. */
    public static List<ManifestRoute> toManifest(Collection<DeclaredRoute> declared) {
        return List.copyOf(withOrigins(declared).keySet());
    }

    /**
     * {@code routes} without repeats, in the order they are written: longer literal url prefix first, then an
     * exact url before a pattern with the same prefix, then by url; for the same url the stricter access level
     * first, so that a proxy that ignores verbs refuses rather than admits.
     */
    public static List<ManifestRoute> inWritingOrder(Collection<ManifestRoute> routes) {
        return new java.util.LinkedHashSet<>(routes).stream().sorted(WRITING_ORDER).toList();
    }

    /** Distinct manifest routes in writing order, each with the handlers that declare it. */
    private static Map<ManifestRoute, List<String>> withOrigins(Collection<DeclaredRoute> declared) {
        Map<ManifestRoute, List<String>> byRoute = new LinkedHashMap<>();
        for (DeclaredRoute d : declared) {
            byRoute.computeIfAbsent(ManifestRoute.of(d), k -> new ArrayList<>()).add(d.origin());
        }
        List<ManifestRoute> ordered = new ArrayList<>(byRoute.keySet());
        ordered.sort(WRITING_ORDER);
        Map<ManifestRoute, List<String>> out = new LinkedHashMap<>();
        for (ManifestRoute r : ordered) {
            List<String> origins = byRoute.get(r);
            origins.sort(null);
            out.put(r, origins);
        }
        return out;
    }

    private static final Comparator<ManifestRoute> WRITING_ORDER = Comparator
            .comparingInt((ManifestRoute r) -> -UrlShape.of(r.url()).prefix().length())
            .thenComparing(r -> UrlShape.of(r.url()).exact() ? 0 : 1)
            .thenComparing(ManifestRoute::url)
            .thenComparing(ManifestRoute::access, Comparator.reverseOrder())
            .thenComparing(ManifestRoute::verbText)
            .thenComparing(ManifestRoute::bruteforceJson)
            .thenComparing(ManifestRoute::headersJson);

    // ---------------------------------------------------------------- render

    /** The {@code <routes>} element for {@code declared}, indented with tabs, its first line unindented. */
    public static String render(Collection<DeclaredRoute> declared) {
        return renderRoutes(toManifest(declared), "", DEFAULT_UNIT, "\n");
    }

    /**
     * The {@code <routes>} element listing {@code routes} in the given order.
     *
     * @param indent  indentation of the line the element starts on (the first line itself is not indented)
     * @param unit    one level of indentation
     * @param newline line separator
     */
    public static String renderRoutes(List<ManifestRoute> routes, String indent, String unit, String newline) {
        if (routes.isEmpty()) {
            return "<routes/>";
        }
        String routeIndent = indent + unit;
        String fieldIndent = routeIndent + unit;
        StringBuilder s = new StringBuilder("<routes>").append(newline);
        for (ManifestRoute r : routes) {
            s.append(routeIndent).append("<route>").append(newline);
            field(s, fieldIndent, "url", r.url(), newline);
            field(s, fieldIndent, "verb", r.verbText(), newline);
            field(s, fieldIndent, "access_level", r.access().name(), newline);
            field(s, fieldIndent, "bruteforce_protection", r.bruteforceJson(), newline);
            field(s, fieldIndent, "headers_to_exclude", r.headersJson(), newline);
            s.append(routeIndent).append("</route>").append(newline);
        }
        return s.append(indent).append("</routes>").toString();
    }

    private static void field(StringBuilder s, String indent, String name, String value, String newline) {
        s.append(indent).append('<').append(name).append('>').append(escape(value))
                .append("</").append(name).append('>').append(newline);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ---------------------------------------------------------------- read

    /** The routes of the {@code info.xml} at {@code file}. */
    public static Manifest read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** The routes of an {@code info.xml} text. */
    public static Manifest parse(String xml) {
        return parse(new InputSource(new java.io.StringReader(xml)));
    }

    /**
     * The routes of an {@code info.xml} document, validated as AppAPI validates them: {@code url} a non-empty
     * regular expression, {@code verb} a non-empty comma list, {@code access_level} {@code PUBLIC}, {@code USER},
     * {@code ADMIN} or {@code 0}, {@code 1}, {@code 2}, the two list fields JSON arrays (of integers, of strings)
     * and no nested elements. An invalid route is reported and left out of {@link Manifest#routes()}.
     */
    public static Manifest parse(byte[] xml) {
        return parse(new InputSource(new ByteArrayInputStream(xml)));
    }

    private static Manifest parse(InputSource xml) {
        Document doc;
        try {
            doc = parseDocument(xml);
        } catch (SAXException | IOException e) {
            return new Manifest(false, List.of(), List.of(Finding.error("info.xml is not well-formed XML: "
                    + e.getMessage())));
        }
        List<Finding> findings = new ArrayList<>();
        Element root = doc.getDocumentElement();
        if (!"info".equals(root.getTagName())) {
            findings.add(Finding.error("the root element of info.xml is <" + root.getTagName() + ">, not <info>"));
        }
        List<Element> apps = childElements(root, "external-app");
        if (apps.size() > 1) {
            findings.add(Finding.error("info.xml has " + apps.size() + " <external-app> elements; one is allowed"));
        }
        if (apps.isEmpty()) {
            return new Manifest(false, List.of(), findings);
        }
        List<Element> routesElements = childElements(apps.get(0), "routes");
        if (routesElements.size() > 1) {
            findings.add(Finding.error("<external-app> has " + routesElements.size()
                    + " <routes> elements; one is allowed"));
        }
        if (routesElements.isEmpty()) {
            return new Manifest(false, List.of(), findings);
        }
        List<ManifestRoute> routes = new ArrayList<>();
        int index = 0;
        for (Element child : childElements(routesElements.get(0), null)) {
            if (!"route".equals(child.getTagName())) {
                findings.add(Finding.warning("<routes> holds <" + child.getTagName()
                        + ">, which AppAPI ignores; routes are <route> elements"));
                continue;
            }
            ManifestRoute route = parseRoute(child, index++, findings);
            if (route != null) {
                routes.add(route);
            }
        }
        return new Manifest(true, routes, findings);
    }

    private static ManifestRoute parseRoute(Element route, int index, List<Finding> findings) {
        Map<String, List<Element>> fields = new LinkedHashMap<>();
        for (Element child : childElements(route, null)) {
            String name = child.getTagName();
            if (FIELDS.contains(name)) {
                fields.computeIfAbsent(name, k -> new ArrayList<>()).add(child);
            } else {
                findings.add(Finding.warning("route #" + index + ": unknown element <" + name + "> is ignored"));
            }
        }
        int before = findings.size();
        String url = text(fields, "url", "route #" + index, findings);
        if (findings.size() > before) {
            return null;
        }
        if (url == null || url.isBlank()) {
            findings.add(Finding.error("route #" + index + ": 'url' must be a non-empty string"));
            return null;
        }
        String ident = "route '" + url + "'";
        try {
            Pattern.compile(url);
        } catch (PatternSyntaxException e) {
            findings.add(Finding.error(ident + ": 'url' is not a valid regular expression: "
                    + e.getDescription()));
        }
        if (!url.equals(url.strip())) {
            findings.add(Finding.warning(ident + ": 'url' starts or ends with white space, which is part of the"
                    + " regular expression"));
        }

        List<String> verbs = new ArrayList<>();
        String verb = text(fields, "verb", ident, findings);
        if (verb == null || verb.isBlank()) {
            if (!fields.containsKey("verb") || verb != null) {
                findings.add(Finding.error(ident + ": 'verb' must be a non-empty string (e.g. 'GET' or"
                        + " 'GET,POST'); AppAPI refuses a route without one"));
            }
        } else {
            for (String v : verb.split(",")) {
                String name = v.strip().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!ManifestRoute.ALL_VERBS.contains(name)) {
                    findings.add(Finding.warning(ident + ": unknown verb '" + v.strip() + "'"));
                }
                verbs.add(name);
            }
        }

        AccessLevel access = accessLevel(text(fields, "access_level", ident, findings), ident, findings);
        List<Integer> bruteforce = jsonList(text(fields, "bruteforce_protection", ident, findings),
                ident, "bruteforce_protection", JsonNode::isInt, JsonNode::intValue,
                "integers (HTTP status codes)", findings);
        List<String> headers = jsonList(text(fields, "headers_to_exclude", ident, findings),
                ident, "headers_to_exclude", JsonNode::isTextual, JsonNode::textValue,
                "strings (header names)", findings);
        if (findings.subList(before, findings.size()).stream().anyMatch(Finding::isError)) {
            return null;
        }
        for (int status : bruteforce) {
            if (status < 100 || status > 599) {
                findings.add(Finding.warning(ident + ": 'bruteforce_protection' lists " + status
                        + ", which is not an HTTP status"));
            }
        }
        return new ManifestRoute(url, verbs, access, bruteforce, headers);
    }

    /** The text of a field, or null when it is absent; an error when it repeats or holds elements. */
    private static String text(Map<String, List<Element>> fields, String name, String ident,
                               List<Finding> findings) {
        List<Element> elements = fields.get(name);
        if (elements == null) {
            return null;
        }
        if (elements.size() > 1) {
            findings.add(Finding.error(ident + ": '" + name + "' appears " + elements.size() + " times"));
            return null;
        }
        Element e = elements.get(0);
        if (!childElements(e, null).isEmpty()) {
            findings.add(Finding.error(ident + ": '" + name + "' holds XML elements; write its value as text"
                    + (name.equals("bruteforce_protection") || name.equals("headers_to_exclude")
                    ? ", a JSON array such as " + (name.equals("bruteforce_protection") ? "[401,429]" : "[\"Cookie\"]")
                    : "")));
            return null;
        }
        return e.getTextContent();
    }

    private static AccessLevel accessLevel(String raw, String ident, List<Finding> findings) {
        if (raw == null) {
            findings.add(Finding.error(ident + ": 'access_level' is required and must be one of PUBLIC|USER|ADMIN"
                    + " (or 0|1|2)"));
            return null;
        }
        String value = raw.strip();
        switch (value) {
            case "PUBLIC", "0":
                return AccessLevel.PUBLIC;
            case "USER", "1":
                return AccessLevel.USER;
            case "ADMIN", "2":
                return AccessLevel.ADMIN;
            default:
                findings.add(Finding.error(ident + ": invalid 'access_level' '" + value
                        + "' (allowed: PUBLIC, USER, ADMIN, or 0, 1, 2)"));
                return null;
        }
    }

    private static <T> List<T> jsonList(String raw, String ident, String field,
                                        java.util.function.Predicate<JsonNode> isItem, Function<JsonNode, T> item,
                                        String itemKind, List<Finding> findings) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isArray()) {
            findings.add(Finding.error(ident + ": '" + field + "' must be a JSON array, got '" + raw.strip() + "'"));
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!isItem.test(v)) {
                findings.add(Finding.error(ident + ": '" + field + "' must contain only " + itemKind
                        + ", entry at index " + i + " is " + v));
                return List.of();
            }
            out.add(item.apply(v));
        }
        return out;
    }

    private static Document parseDocument(InputSource xml) throws SAXException, IOException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        try {
            f.setNamespaceAware(false);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            // Anything that still asks for an external resource gets nothing.
            b.setEntityResolver((publicId, systemId) -> new InputSource(new ByteArrayInputStream(new byte[0])));
            return b.parse(xml);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required feature", e);
        }
    }

    private static List<Element> childElements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name.equals(e.getTagName()))) {
                out.add(e);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes the routes of {@code declared} into the {@code info.xml} at {@code file}, replacing only its
     * {@code <external-app><routes>} element (or adding one), with the file's own indentation, line separator
     * and encoding. Every other character stays as it was.
     *
     * @return whether the file changed
     * @throws IllegalArgumentException when the file is not a well-formed {@code info.xml}
     */
    public static boolean write(Path file, Collection<DeclaredRoute> declared) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Manifest current = parse(bytes);
        current.findings().stream()
                .filter(f -> f.isError() && f.message().startsWith("info.xml is not well-formed"))
                .findFirst()
                .ifPresent(f -> {
                    throw new IllegalArgumentException(file + ": " + f.message());
                });
        Charset charset = declaredCharset(bytes);
        String text = new String(bytes, charset);
        String updated = write(text, declared);
        if (updated.equals(text)) {
            return false;
        }
        Files.write(file, updated.getBytes(charset));
        return true;
    }

    /** {@code xml} with its routes replaced by those of {@code declared}; see {@link #writeRoutes}. */
    public static String write(String xml, Collection<DeclaredRoute> declared) {
        return writeRoutes(xml, toManifest(declared));
    }

    /**
     * {@code xml} with its {@code <external-app><routes>} element replaced by one listing {@code routes}, or
     * removed when there are none. A missing {@code <routes>} (or {@code <external-app>}) is added as the last
     * child of its parent. Everything outside the replaced element is kept character for character.
     *
     * @throws IllegalArgumentException when the root element is not {@code <info>}, or an element repeats
     */
    public static String writeRoutes(String xml, List<ManifestRoute> routes) {
        XmlOutline.Element root = XmlOutline.root(xml);
        if (!root.name().equals("info")) {
            throw new IllegalArgumentException("the root element is <" + root.name() + ">, not <info>");
        }
        String nl = xml.contains("\r\n") ? "\r\n" : "\n";
        String unit = indentUnit(xml, root);
        String rootIndent = Objects.requireNonNullElse(indentOf(xml, root.start()), "");

        List<XmlOutline.Element> apps = root.children("external-app");
        if (apps.size() > 1) {
            throw new IllegalArgumentException("<info> has " + apps.size() + " <external-app> elements");
        }
        if (apps.isEmpty()) {
            if (routes.isEmpty()) {
                return xml;
            }
            if (root.selfClosing()) {
                throw new IllegalArgumentException("<info> is empty");
            }
            String appIndent = childIndent(xml, root, rootIndent + unit);
            String block = "<external-app>" + nl + appIndent + unit + renderRoutes(routes, appIndent + unit, unit, nl)
                    + nl + appIndent + "</external-app>";
            return insertAtEnd(xml, root, block, appIndent, rootIndent, nl);
        }

        XmlOutline.Element app = apps.get(0);
        String appIndent = Objects.requireNonNullElse(indentOf(xml, app.start()), rootIndent + unit);
        List<XmlOutline.Element> existing = app.children("routes");
        if (existing.size() > 1) {
            throw new IllegalArgumentException("<external-app> has " + existing.size() + " <routes> elements");
        }
        if (existing.size() == 1) {
            XmlOutline.Element old = existing.get(0);
            if (routes.isEmpty()) {
                return remove(xml, old);
            }
            String indent = Objects.requireNonNullElse(indentOf(xml, old.start()), appIndent + unit);
            return xml.substring(0, old.start()) + renderRoutes(routes, indent, unit, nl) + xml.substring(old.end());
        }
        if (routes.isEmpty()) {
            return xml;
        }
        String indent = childIndent(xml, app, appIndent + unit);
        String element = renderRoutes(routes, indent, unit, nl);
        if (app.selfClosing()) {
            String startTag = xml.substring(app.start(), app.end() - 2).stripTrailing() + ">";
            return xml.substring(0, app.start()) + startTag + nl + indent + element + nl + appIndent
                    + "</external-app>" + xml.substring(app.end());
        }
        return insertAtEnd(xml, app, element, indent, appIndent, nl);
    }

    /** Inserts {@code block} as the last child of {@code parent}, on a line of its own. */
    private static String insertAtEnd(String xml, XmlOutline.Element parent, String block, String indent,
                                      String parentIndent, String nl) {
        int endTag = parent.endTagStart();
        int lineStart = blankLineStart(xml, endTag);
        if (lineStart >= 0) {
            return xml.substring(0, lineStart) + indent + block + nl + xml.substring(lineStart);
        }
        return xml.substring(0, endTag) + nl + indent + block + nl + parentIndent + xml.substring(endTag);
    }

    /** Removes an element, and its line when it stands alone on it. */
    private static String remove(String xml, XmlOutline.Element element) {
        int lineStart = blankLineStart(xml, element.start());
        int after = element.end();
        while (after < xml.length() && (xml.charAt(after) == ' ' || xml.charAt(after) == '\t')) {
            after++;
        }
        boolean lineEnds = after == xml.length() || xml.charAt(after) == '\n' || xml.startsWith("\r\n", after);
        if (lineStart >= 0 && lineEnds) {
            if (after < xml.length()) {
                after += xml.charAt(after) == '\r' ? 2 : 1;
            }
            return xml.substring(0, lineStart) + xml.substring(after);
        }
        return xml.substring(0, element.start()) + xml.substring(element.end());
    }

    /** The white space before {@code pos} on its line, or null when something else precedes it there. */
    private static String indentOf(String xml, int pos) {
        int start = blankLineStart(xml, pos);
        return start < 0 ? null : xml.substring(start, pos);
    }

    /** Where the line of {@code pos} starts when only spaces and tabs precede {@code pos} on it, else -1. */
    private static int blankLineStart(String xml, int pos) {
        int i = pos;
        while (i > 0 && (xml.charAt(i - 1) == ' ' || xml.charAt(i - 1) == '\t')) {
            i--;
        }
        return i == 0 || xml.charAt(i - 1) == '\n' ? i : -1;
    }

    /** The indentation of the first child of {@code parent} that starts a line, or {@code fallback}. */
    private static String childIndent(String xml, XmlOutline.Element parent, String fallback) {
        for (XmlOutline.Element c : parent.children()) {
            String indent = indentOf(xml, c.start());
            if (indent != null) {
                return indent;
            }
        }
        return fallback;
    }

    /** One level of the file's indentation, read from the root's first child; a tab when it cannot be told. */
    private static String indentUnit(String xml, XmlOutline.Element root) {
        String rootIndent = Objects.requireNonNullElse(indentOf(xml, root.start()), "");
        for (XmlOutline.Element c : root.children()) {
            String indent = indentOf(xml, c.start());
            if (indent != null && indent.length() > rootIndent.length() && indent.startsWith(rootIndent)) {
                return indent.substring(rootIndent.length());
            }
        }
        return DEFAULT_UNIT;
    }

    /** The encoding named by the XML declaration, UTF-8 when there is none. */
    private static Charset declaredCharset(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("^(?:\\xEF\\xBB\\xBF)?<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']")
                .matcher(head);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    // ---------------------------------------------------------------- compare

    /**
     * How {@code manifest} (the routes of {@code info.xml}) differs from {@code declared}, one line per
     * difference: a route missing in {@code info.xml}, one not declared in code, or a route with the same url
     * whose access level, verbs, brute-force statuses or excluded headers differ. Empty when they match.
     */
    public static List<String> compare(Collection<DeclaredRoute> declared, List<ManifestRoute> manifest) {
        Map<ManifestRoute, List<String>> code = withOrigins(declared);
        List<ManifestRoute> codeLeft = new ArrayList<>(code.keySet());
        List<ManifestRoute> fileLeft = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<ManifestRoute> matched = new ArrayList<>();
        for (ManifestRoute r : manifest) {
            if (codeLeft.remove(r)) {
                matched.add(r);
            } else if (matched.contains(r)) {
                lines.add("listed more than once in info.xml: " + r.describe());
            } else {
                fileLeft.add(r);
            }
        }
        for (ManifestRoute c : List.copyOf(codeLeft)) {
            ManifestRoute f = fileLeft.stream()
                    .filter(r -> r.url().equals(c.url()) && r.verbs().equals(c.verbs())).findFirst()
                    .or(() -> fileLeft.stream().filter(r -> r.url().equals(c.url())).findFirst())
                    .orElse(null);
            if (f == null) {
                continue;
            }
            codeLeft.remove(c);
            fileLeft.remove(f);
            String where = "route " + c.url() + " (" + String.join(", ", code.get(c)) + ")";
            if (c.access() != f.access()) {
                lines.add(where + ": access level is " + c.access() + " in code but " + f.access() + " in info.xml");
            }
            if (!c.verbs().equals(f.verbs())) {
                lines.add(where + ": verbs are " + verbsForMessage(c) + " in code but " + verbsForMessage(f)
                        + " in info.xml");
            }
            if (!c.bruteforce().equals(f.bruteforce())) {
                lines.add(where + ": bruteforce_protection is " + c.bruteforceJson() + " in code but "
                        + f.bruteforceJson() + " in info.xml");
            }
            if (!c.headersToExclude().equals(f.headersToExclude())) {
                lines.add(where + ": headers_to_exclude is " + c.headersJson() + " in code but " + f.headersJson()
                        + " in info.xml");
            }
        }
        for (ManifestRoute c : codeLeft) {
            lines.add("missing in info.xml: " + c.describe() + ", declared by " + String.join(", ", code.get(c)));
        }
        for (ManifestRoute f : fileLeft) {
            lines.add("not declared in code: " + f.describe() + ", listed in info.xml");
        }
        return lines;
    }

    private static String verbsForMessage(ManifestRoute r) {
        return r.allVerbs() ? "all methods" : String.join(",", r.verbs());
    }

    // ---------------------------------------------------------------- lint

    /**
     * Where the two proxies in front of an ExApp would not do what {@code routes} (in this order) seem to say:
     * Nextcloud's HaRP matches urls with Python's {@code re} and applies the first route whose url matches,
     * ignoring verbs and {@code headers_to_exclude}; AppAPI's PHP proxy applies the first route whose url and verb
     * match, and serves only GET, POST, PUT and DELETE.
     */
    public static List<Finding> lint(List<ManifestRoute> routes) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            ManifestRoute r = routes.get(i);
            String ident = "route '" + r.url() + "'";
            pythonIncompatibility(r.url()).ifPresent(problem -> findings.add(Finding.warning(ident + ": " + problem
                    + ", which Python's re (used by Nextcloud's HaRP) rejects; HaRP cannot use this route")));
            if (!r.headersToExclude().isEmpty()) {
                findings.add(Finding.warning(ident + ": headers_to_exclude " + r.headersJson() + " is applied by"
                        + " AppAPI's PHP proxy only; Nextcloud's HaRP passes these headers to the ExApp"));
            }
            if (!r.allVerbs()) {
                List<String> phpless = r.verbs().stream().filter(v -> !PHP_PROXY_VERBS.contains(v)).toList();
                if (!phpless.isEmpty()) {
                    findings.add(Finding.warning(ident + ": AppAPI's PHP proxy serves only GET, POST, PUT and"
                            + " DELETE, so " + String.join(", ", phpless) + " reaches the ExApp only through HaRP"));
                }
            }
            for (int j = 0; j < i; j++) {
                Finding shadow = shadowing(routes.get(j), r);
                if (shadow != null) {
                    findings.add(shadow);
                    break;
                }
            }
        }
        return findings;
    }

    /** {@link #lint} of the routes {@code declared} renders to, plus a note for each WebSocket endpoint. */
    public static List<Finding> lintDeclared(Collection<DeclaredRoute> declared) {
        List<Finding> findings = new ArrayList<>(lint(toManifest(declared)));
        for (DeclaredRoute d : declared) {
            if (d.webSocket()) {
                findings.add(Finding.note("WebSocket endpoint " + d.path() + " (" + d.origin() + ") works only"
                        + " through HaRP; AppAPI's PHP proxy does not carry WebSockets"));
            }
        }
        return findings;
    }

    /** A warning when {@code earlier} takes requests that {@code later} seems to describe differently. */
    private static Finding shadowing(ManifestRoute earlier, ManifestRoute later) {
        boolean samePaths = earlier.url().equals(later.url());
        if (!samePaths) {
            UrlShape shape = UrlShape.of(later.url());
            if (!shape.exact()) {
                return null;
            }
            try {
                samePaths = Pattern.compile(earlier.url()).matcher(shape.prefix()).lookingAt();
            } catch (PatternSyntaxException e) {
                return null;
            }
        }
        if (!samePaths) {
            return null;
        }
        boolean accessDiffers = earlier.access() != later.access()
                || !earlier.bruteforce().equals(later.bruteforce());
        List<String> parts = new ArrayList<>();
        if (earlier.access() != later.access()) {
            parts.add("access level " + earlier.access());
        }
        if (!earlier.bruteforce().equals(later.bruteforce())) {
            parts.add("bruteforce_protection " + earlier.bruteforceJson());
        }
        if (parts.isEmpty()) {
            parts.add("headers_to_exclude " + earlier.headersJson());
        }
        String what = String.join(" and ", parts);
        if (earlier.sharesVerbWith(later)) {
            if (!accessDiffers && earlier.headersToExclude().equals(later.headersToExclude())) {
                return null;
            }
            return Finding.warning("route '" + later.url() + "' (" + later.describe() + ") comes after route '"
                    + earlier.url() + "', which matches the same paths and methods first; both proxies apply the"
                    + " first match, so these requests get its " + what + ": put the more specific route first");
        }
        if (!accessDiffers) {
            return null;
        }
        return Finding.warning("routes '" + earlier.url() + "' (" + verbsForMessage(earlier) + ") and '"
                + later.url() + "' (" + verbsForMessage(later) + ") match the same paths with different verbs;"
                + " Nextcloud's HaRP ignores verbs and applies the first one's " + what + " to both"
                + " (AppAPI's PHP proxy and harp-server pick by verb)");
    }

    /** What in {@code url} Python's {@code re} does not accept, if anything. */
    static java.util.Optional<String> pythonIncompatibility(String url) {
        for (int i = 0; i < url.length() - 1; i++) {
            char c = url.charAt(i);
            if (c == '\\') {
                char next = url.charAt(i + 1);
                if (next < 128 && Character.isLetter(next) && PYTHON_LETTER_ESCAPES.indexOf(next) < 0) {
                    return java.util.Optional.of("it uses \\" + next
                            + (next == 'Q' ? " quoting (escape each special character with \\ instead)" : ""));
                }
                i++;
            } else if (c == '(' && url.startsWith("(?<", i) && i + 3 < url.length()
                    && Character.isLetter(url.charAt(i + 3))) {
                return java.util.Optional.of("it uses the named group (?<name>...) (Python spells it"
                        + " (?P<name>...))");
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The literal start of a url regular expression (after {@code ^}), and whether the whole expression is that
     * literal followed by {@code $}.
     */
    record UrlShape(String prefix, boolean exact) {
        private static final String SPECIAL = ".[]()?*+{}|$^";

        static UrlShape of(String url) {
            StringBuilder prefix = new StringBuilder();
            int i = url.startsWith("^") ? 1 : 0;
            while (i < url.length()) {
                char c = url.charAt(i);
                if (url.startsWith("\\Q", i)) {
                    int end = url.indexOf("\\E", i + 2);
                    int stop = end < 0 ? url.length() : end;
                    prefix.append(url, i + 2, stop);
                    i = end < 0 ? url.length() : end + 2;
                } else if (c == '\\' && i + 1 < url.length() && !Character.isLetterOrDigit(url.charAt(i + 1))) {
                    prefix.append(url.charAt(i + 1));
                    i += 2;
                } else if (c == '\\' || SPECIAL.indexOf(c) >= 0) {
                    break;
                } else {
                    prefix.append(c);
                    i++;
                }
            }
            // A quantifier applies to the last literal character, which is then not part of the prefix.
            if (i < url.length() && "?*{".indexOf(url.charAt(i)) >= 0 && !prefix.isEmpty()) {
                prefix.setLength(prefix.length() - 1);
                return new UrlShape(prefix.toString(), false);
            }
            boolean exact = url.startsWith("^") && i == url.length() - 1 && url.charAt(i) == '$';
            return new UrlShape(prefix.toString(), exact);
        }
    }
}
