package org.harpjava.exapp.manifest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where the elements of an XML text are, as character offsets, so that one element can be replaced and every other
 * character left as it was. Only the element structure is read: comments, processing instructions, CDATA sections
 * and a DOCTYPE are skipped, attribute values may contain {@code >}. The text is checked for well-formedness by a
 * real parser before this is used.
 */
final class XmlOutline {
    /**
     * An element.
     *
     * @param name        qualified name
     * @param start       offset of its {@code <}
     * @param startTagEnd offset just past its start tag
     * @param endTagStart offset of its end tag, or {@code -1} when it is self-closing
     * @param end         offset just past its end tag (or its self-closing start tag)
     * @param children    its child elements in document order
     */
    record Element(String name, int start, int startTagEnd, int endTagStart, int end, List<Element> children) {
        boolean selfClosing() {
            return endTagStart < 0;
        }

        List<Element> children(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).toList();
        }
    }

    private static final class Open {
        final String name;
        final int start;
        final int startTagEnd;
        final List<Element> children = new ArrayList<>();

        Open(String name, int start, int startTagEnd) {
            this.name = name;
            this.start = start;
            this.startTagEnd = startTagEnd;
        }
    }

    private XmlOutline() {
    }

    /** The root element of {@code text}. */
    static Element root(String text) {
        Deque<Open> stack = new ArrayDeque<>();
        Element root = null;
        int i = 0;
        int n = text.length();
        while (true) {
            int lt = text.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            if (text.startsWith("<?", lt)) {
                i = skipPast(text, lt, "?>");
            } else if (text.startsWith("<!--", lt)) {
                i = skipPast(text, lt, "-->");
            } else if (text.startsWith("<![CDATA[", lt)) {
                i = skipPast(text, lt, "]]>");
            } else if (text.startsWith("<!", lt)) {
                i = skipDeclaration(text, lt);
            } else if (text.startsWith("</", lt)) {
                int gt = text.indexOf('>', lt);
                if (gt < 0) {
                    throw malformed("unterminated end tag", lt);
                }
                String name = text.substring(lt + 2, gt).strip();
                Open open = stack.poll();
                if (open == null || !open.name.equals(name)) {
                    throw malformed("unexpected </" + name + ">", lt);
                }
                Element done = new Element(open.name, open.start, open.startTagEnd, lt, gt + 1,
                        List.copyOf(open.children));
                if (stack.isEmpty()) {
                    root = done;
                } else {
                    stack.peek().children.add(done);
                }
                i = gt + 1;
            } else {
                int j = lt + 1;
                while (j < n && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '/'
                        && text.charAt(j) != '>') {
                    j++;
                }
                String name = text.substring(lt + 1, j);
                if (name.isEmpty()) {
                    throw malformed("a < that starts no tag", lt);
                }
                int gt = tagEnd(text, j);
                boolean selfClosing = text.charAt(gt - 1) == '/';
                if (selfClosing) {
                    Element done = new Element(name, lt, gt + 1, -1, gt + 1, List.of());
                    if (stack.isEmpty()) {
                        root = done;
                    } else {
                        stack.peek().children.add(done);
                    }
                } else {
                    stack.push(new Open(name, lt, gt + 1));
                }
                i = gt + 1;
            }
            if (root != null) {
                break;
            }
        }
        if (root == null) {
            throw malformed(stack.isEmpty() ? "no root element" : "<" + stack.peekLast().name + "> is not closed", n);
        }
        return root;
    }

    private static int skipPast(String text, int from, String terminator) {
        int end = text.indexOf(terminator, from);
        if (end < 0) {
            throw malformed("unterminated " + text.substring(from, Math.min(text.length(), from + 4)), from);
        }
        return end + terminator.length();
    }

    /** Past a {@code <!DOCTYPE ...>}, whose internal subset may hold {@code >} in brackets, quotes and comments. */
    private static int skipDeclaration(String text, int from) {
        int depth = 0;
        int i = from + 2;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    break;
                }
                i = close + 1;
                continue;
            }
            if (text.startsWith("<!--", i)) {
                i = skipPast(text, i, "-->");
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '>' && depth <= 0) {
                return i + 1;
            }
            i++;
        }
        throw malformed("unterminated declaration", from);
    }

    /** The offset of the {@code >} that closes a start tag, skipping quoted attribute values. */
    private static int tagEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    break;
                }
                i = close + 1;
            } else if (c == '>') {
                return i;
            } else {
                i++;
            }
        }
        throw malformed("unterminated start tag", from);
    }

    private static IllegalArgumentException malformed(String what, int offset) {
        return new IllegalArgumentException("malformed XML: " + what + " at character " + offset);
    }
}
