package io.tribune.ops.bench;

import io.tribune.ops.CliException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives HTTP load with {@code wrk} (Debian's package): one process, C, epoll, so the load generator costs far less
 * CPU than the server it measures on the same two cores. Parses requests/s and the latency percentiles, and fails
 * the measurement if any response was not 2xx: a fast error is not a result.
 */
final class Wrk {

    /** One wrk run's outcome. */
    record Measurement(double requestsPerSecond, double p50Millis, double p99Millis, long requests) {
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: (.*)");

    private Wrk() {
    }

    static void requireInstalled() {
        if (!Files.isExecutable(Path.of("/usr/bin/wrk"))) {
            throw new CliException("bench api needs wrk: sudo apt-get install -y wrk (ops/tribune installs it when"
                    + " run as root)");
        }
    }

    /**
     * Runs {@code wrk} against {@code url} with one thread and {@code connections} connections for
     * {@code seconds}; a non-null {@code body} makes it a POST of JSON.
     */
    static Measurement run(String method, String url, Map<String, String> headers, String body, int connections,
                           int seconds) throws IOException, InterruptedException {
        Path script = Files.createTempFile("tribune-wrk", ".lua");
        try {
            StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
            headers.forEach((name, value) -> lua.append("wrk.headers[\"").append(name).append("\"] = \"")
                    .append(value).append("\"\n"));
            if (body != null) {
                lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
                lua.append("wrk.body = [[").append(body).append("]]\n");
            }
            Files.writeString(script, lua, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("/usr/bin/wrk", "-t1", "-c" + connections,
                    "-d" + seconds + "s", "--timeout", "5s", "--latency", "-s", script.toString(), url));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wrk failed:\n" + output);
            }
            return parse(output);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static Measurement parse(String output) {
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            throw new IllegalStateException(non2xx.group(1) + " responses were not 2xx:\n" + output);
        }
        Matcher socketErrors = SOCKET_ERRORS.matcher(output);
        if (socketErrors.find() && !socketErrors.group(1).matches("connect 0, read 0, write 0, timeout 0\\s*")) {
            throw new IllegalStateException("socket errors: " + socketErrors.group(1) + "\n" + output);
        }
        Matcher rps = RPS.matcher(output);
        Matcher requests = REQUESTS.matcher(output);
        if (!rps.find() || !requests.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + output);
        }
        return new Measurement(Double.parseDouble(rps.group(1)), percentile(output, "50%"),
                percentile(output, "99%"), Long.parseLong(requests.group(1)));
    }

    /** A line of wrk's latency distribution, e.g. {@code 99%    5.67ms}, in milliseconds. */
    private static double percentile(String output, String label) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\s*$",
                Pattern.MULTILINE).matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no " + label + " latency:\n" + output);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
