package io.tribune.hls.testing;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Reads what the test players' {@code diagnostics.js} kept: every hls.js ERROR event with its fragment (type, sn,
 * part, level), reason and message, and hls.js's log lines before it, so an IT prints which error it was rather
 * than its name alone.
 */
public final class HlsJsDiagnostics {

    /** The player page's helper script, to copy next to the page. */
    public static final String SCRIPT = "player/diagnostics.js";

    private HlsJsDiagnostics() {
    }

    /**
     * One line per error; for errors other than the expected start-up ones ({@code levelEmptyError}) also the log
     * lines hls.js wrote before it.
     */
    public static String describe(JavascriptExecutor browser) {
        List<?> errors = (List<?>) browser.executeScript("return window.diagnostics.errorsWithContext()");
        if (errors == null || errors.isEmpty()) {
            return "hls.js errors: none";
        }
        StringBuilder out = new StringBuilder("hls.js errors (").append(errors.size()).append("):");
        for (Object item : errors) {
            Map<?, ?> error = (Map<?, ?>) item;
            out.append("\n  at ").append(error.get("at")).append(" s: ").append(error.get("type")).append('/')
                    .append(error.get("details")).append(Boolean.TRUE.equals(error.get("fatal")) ? " (fatal)" : "")
                    .append(" frag ").append(error.get("fragType")).append(" sn=").append(error.get("sn"))
                    .append(" part=").append(error.get("part")).append(" level=").append(error.get("level"))
                    .append(" cc=").append(error.get("cc")).append(" start=").append(error.get("fragStart"))
                    .append(" media time ").append(error.get("mediaTime"))
                    .append("; reason: ").append(error.get("reason")).append("; message: ")
                    .append(error.get("message"));
            if (!"levelEmptyError".equals(error.get("details"))) {
                out.append("\n    hls.js log before it:");
                for (Object line : (List<?>) error.get("before")) {
                    out.append("\n    | ").append(line);
                }
            }
        }
        return out.toString();
    }

    /**
     * hls.js's timed playlist reloads without {@code _HLS_msn} ("[level-controller]: reload live playlist 1 in 1839
     * ms" for a video level, "[subtitle-track-controller]: ..." for subtitles), in order. A live LL-HLS player blocks
     * on the next part instead; hls.js falls back to these while it sees no complete segment numbered above 0.
     */
    public static List<String> plainReloads(JavascriptExecutor browser) {
        List<?> lines = (List<?>) browser.executeScript("return window.diagnostics.plainReloads()");
        return lines.stream().map(String::valueOf).toList();
    }

    /** {@code details} of every error seen, in order (e.g. {@code fragParsingError}). */
    public static List<String> details(JavascriptExecutor browser) {
        List<?> errors = (List<?>) browser.executeScript("return window.diagnostics.errors()");
        return errors.stream().map(e -> String.valueOf(((Map<?, ?>) e).get("details"))).toList();
    }
}
