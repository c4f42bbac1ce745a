package io.tribune.ops.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated low-latency HLS viewer on one rendition, without a thread of its own: it asks for the media playlist
 * with a blocking reload ({@code _HLS_msn}/{@code _HLS_part} naming the next part), and for every part the answer
 * announces that it has not fetched yet it fetches the part, as hls.js does at the live edge in low-latency mode
 * (the init segment once, then the newest parts). Every request carries the viewer's signed cookies.
 */
final class LlHlsViewer {

    private static final Pattern PART = Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"([^\"]+)\"");
    private static final Pattern PART_NUMBER = Pattern.compile("/p(\\d+)\\.m4s$");
    private static final Pattern MAP = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");
    private static final Pattern MEDIA_SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Parts fetched when joining: PART-HOLD-BACK (1.5 s) of 0.5 s parts behind the live edge. */
    private static final int JOIN_PARTS = 3;

    /** Counters shared by all viewers of a run. */
    static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong playlists = new AtomicLong();
        final AtomicLong parts = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        /** Failures by HTTP status or exception class. */
        final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> failureKinds =
                new java.util.concurrent.ConcurrentHashMap<>();

        void failed(HttpResponse<?> response, Throwable error) {
            failures.incrementAndGet();
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            String kind = cause != null ? cause.getClass().getSimpleName() : "HTTP " + response.statusCode();
            failureKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private final HttpClient http;
    private final URI playlist;
    private final String cookie;
    private final Counters counters;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;
    private String map;
    private long lastPart = -1;

    LlHlsViewer(HttpClient http, URI playlist, String cookie, Counters counters, ScheduledExecutorService timer) {
        this.http = http;
        this.playlist = playlist;
        this.cookie = cookie;
        this.counters = counters;
        this.timer = timer;
    }

    void start() {
        reload(null);
    }

    void stop() {
        stopped = true;
    }

    /** The next blocking reload after a playlist: the part after the last listed ({@code ?_HLS_msn=M&_HLS_part=P}). */
    static String nextBlockingQuery(String body) {
        Matcher sequence = MEDIA_SEQUENCE.matcher(body);
        long msn = sequence.find() ? Long.parseLong(sequence.group(1)) : 0;
        int parts = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("#EXTINF:")) {
                msn++;
                parts = 0;
            } else if (line.startsWith("#EXT-X-PART:")) {
                parts++;
            }
        }
        return "?_HLS_msn=" + msn + "&_HLS_part=" + parts;
    }

    private void reload(String query) {
        if (stopped) {
            return;
        }
        URI uri = query == null ? playlist : URI.create(playlist + query);
        counters.requests.incrementAndGet();
        counters.playlists.incrementAndGet();
        http.sendAsync(request(uri), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null || response.statusCode() != 200) {
                counters.failed(response, error);
                // 503 after a blocking timeout, a 404 before the first part, or a refused connection: start over.
                if (!stopped) {
                    timer.schedule(() -> reload(null), 500, TimeUnit.MILLISECONDS);
                }
                return;
            }
            String body = response.body();
            counters.bytes.addAndGet(body.length());
            fetchNewParts(body);
            reload(nextBlockingQuery(body));
        });
    }

    private void fetchNewParts(String body) {
        Matcher m = MAP.matcher(body);
        String initSegment = null;
        while (m.find()) {
            initSegment = m.group(1);
        }
        if (initSegment != null && !initSegment.equals(map)) {
            map = initSegment;
            fetch(initSegment);
        }
        List<String> uris = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        Matcher parts = PART.matcher(body);
        while (parts.find()) {
            Matcher number = PART_NUMBER.matcher(parts.group(1));
            if (number.find()) {
                uris.add(parts.group(1));
                numbers.add(Long.parseLong(number.group(1)));
            }
        }
        if (uris.isEmpty()) {
            return;
        }
        long newest = numbers.get(numbers.size() - 1);
        if (lastPart < 0 || newest < lastPart) {
            lastPart = newest - JOIN_PARTS; // joining, or the stream restarted with new part numbers
        }
        for (int i = 0; i < uris.size(); i++) {
            if (numbers.get(i) > lastPart) {
                fetch(uris.get(i));
            }
        }
        lastPart = newest;
    }

    private void fetch(String relative) {
        if (stopped) {
            return;
        }
        counters.requests.incrementAndGet();
        counters.parts.incrementAndGet();
        http.sendAsync(request(playlist.resolve(relative)), HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                        counters.failed(response, error);
                    } else {
                        counters.bytes.addAndGet(response.body().length);
                    }
                });
    }

    private HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Cookie", cookie).timeout(TIMEOUT).build();
    }
}
