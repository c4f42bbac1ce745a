package io.tribune.notify.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail templates from the classpath, {@code /templates/<name>.txt} and {@code /templates/<name>.html}: the text
 * file's first line is {@code Subject: ...}, then an empty line, then the plain-text body. Placeholders are
 * {@code {{key}}}; every one must have a value (a missing value is a {@link TemplateException}, never an empty
 * gap in a mail). Values are HTML-escaped in the HTML part and inserted as they are in the subject and text.
 *
 * <p>Thread-safe: templates are read once and cached.
 */
public final class Templates {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,60}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z0-9_]*)}}");
    private static final String SUBJECT_PREFIX = "Subject: ";

    private final Map<String, Source> cache = new ConcurrentHashMap<>();

    /** A mail rendered from a template: subject, plain text and HTML. */
    public record Rendered(String subject, String text, String html) {
    }

    private record Source(String subject, String text, String html) {
    }

    /** Whether a template of that name exists. */
    public boolean exists(String name) {
        try {
            source(name);
            return true;
        } catch (TemplateException e) {
            return false;
        }
    }

    /**
     * @throws TemplateException for an unknown template or a placeholder without a value
     */
    public Rendered render(String name, Map<String, String> values) {
        Source source = source(name);
        return new Rendered(fill(name, source.subject(), values, false).strip(), fill(name, source.text(), values, false),
                fill(name, source.html(), values, true));
    }

    /** The placeholders a template uses (for tests and validation). */
    public Set<String> placeholders(String name) {
        Source source = source(name);
        Set<String> keys = new java.util.TreeSet<>();
        for (String part : new String[] {source.subject(), source.text(), source.html()}) {
            Matcher matcher = PLACEHOLDER.matcher(part);
            while (matcher.find()) {
                keys.add(matcher.group(1));
            }
        }
        return keys;
    }

    private Source source(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new TemplateException("invalid template name: " + name);
        }
        return cache.computeIfAbsent(name, Templates::load);
    }

    private static Source load(String name) {
        String text = read(name + ".txt");
        String html = read(name + ".html");
        if (!text.startsWith(SUBJECT_PREFIX) || !text.contains("\n\n")) {
            throw new IllegalStateException("template " + name + ".txt must start with 'Subject: ...' and a blank line");
        }
        int end = text.indexOf("\n\n");
        return new Source(text.substring(SUBJECT_PREFIX.length(), end), text.substring(end + 2), html);
    }

    private static String read(String file) {
        try (InputStream in = Templates.class.getResourceAsStream("/templates/" + file)) {
            if (in == null) {
                throw new TemplateException("unknown template: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fill(String name, String template, Map<String, String> values, boolean html) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new TemplateException("template " + name + " needs a value for '" + matcher.group(1) + "'");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(html ? escapeHtml(value) : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
