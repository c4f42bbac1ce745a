package io.tribune.ops.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One simulated low-latency HLS viewer on one rendition, without a thread of its own, as hls.js behaves at the live
 * edge in low-latency mode: one connection asks for the media playlist with blocking reloads ({@code _HLS_msn} /
 * {@code _HLS_part} naming the next part), another fetches, one after the other, every part an answer announces that
 * it has not fetched yet (the init segment once, then the newest parts; {@link #JOIN_PARTS} when joining). Every
 * request carries the viewer's own signed cookies. Runs on its {@link EdgeHttpClient}'s loop thread (not
 * thread-safe; {@link #stop} may be called from any thread).
 */
final class LlHlsViewer {

    /** Parts fetched when joining: PART-HOLD-BACK (1.5 s) of 0.5 s parts behind the live edge. */
    private static final int JOIN_PARTS = 3;
    /** After a failed playlist request (a refused connection, a 404 before the first part): start over this late. */
    private static final long RETRY_MILLIS = 500;

    /** Counters shared by all viewers of a run (on several loops). */
    static final class Counters {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong playlists = new AtomicLong();
        final AtomicLong parts = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        /** Failures by HTTP status or kind. */
        final ConcurrentHashMap<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();

        void failed(String kind) {
            failures.incrementAndGet();
            failureKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** What a viewer needs from a media playlist. */
    record Playlist(String map, List<String> partUris, List<Long> partNumbers, String nextQuery) {
    }

    private final EdgeHttpClient client;
    private final String playlist;
    private final String base;
    private final byte[] headers;
    private final Counters counters;
    private final ArrayDeque<String> pendingParts = new ArrayDeque<>();
    private EdgeHttpClient.Connection playlistConnection;
    private EdgeHttpClient.Connection partConnection;
    private volatile boolean stopped;
    private String map;
    private long lastPart = -1;

    /**
     * @param playlist the media playlist's path on the edge ({@code /hls/EVENT/RUNG/index.m3u8})
     * @param cookie   the viewer's {@code Cookie} header value
     */
    LlHlsViewer(EdgeHttpClient client, String playlist, String cookie, Counters counters) {
        this.client = client;
        this.playlist = playlist;
        this.base = playlist.substring(0, playlist.lastIndexOf('/') + 1);
        this.headers = ("Cookie: " + cookie + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.counters = counters;
    }

    /** Joins (on the client's loop thread). */
    void start() {
        playlistConnection = client.connection();
        partConnection = client.connection();
        reload(null);
    }

    /** No new requests after this (the ones in flight finish). Thread-safe. */
    void stop() {
        stopped = true;
    }

    /** The next blocking reload after a playlist: the part after the last listed ({@code ?_HLS_msn=M&_HLS_part=P}). */
    static String nextBlockingQuery(String body) {
        return parse(body).nextQuery();
    }

    /** Reads a media playlist in one pass: its init segment, its parts (with their numbers) and the next reload. */
    static Playlist parse(String body) {
        long msn = 0;
        int parts = 0;
        String map = null;
        List<String> uris = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        int from = 0;
        while (from < body.length()) {
            int end = body.indexOf('\n', from);
            if (end < 0) {
                end = body.length();
            }
            String line = body.substring(from, end).trim();
            from = end + 1;
            if (line.startsWith("#EXTINF:")) {
                msn++;
                parts = 0;
            } else if (line.startsWith("#EXT-X-PART:")) {
                parts++;
                String uri = quotedAttribute(line, "URI=\"");
                long number = partNumber(uri);
                if (number >= 0) {
                    uris.add(uri);
                    numbers.add(number);
                }
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                msn = Long.parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()).trim());
            } else if (line.startsWith("#EXT-X-MAP:")) {
                map = quotedAttribute(line, "URI=\"");
            }
        }
        return new Playlist(map, uris, numbers, "?_HLS_msn=" + msn + "&_HLS_part=" + parts);
    }

    private static String quotedAttribute(String line, String prefix) {
        int start = line.indexOf(prefix);
        if (start < 0) {
            return null;
        }
        start += prefix.length();
        int end = line.indexOf('"', start);
        return end < 0 ? null : line.substring(start, end);
    }

    /** The number in a part's name ({@code .../p42.m4s}), or -1. */
    private static long partNumber(String uri) {
        if (uri == null || !uri.endsWith(".m4s")) {
            return -1;
        }
        int slash = uri.lastIndexOf('/');
        int start = slash + 1;
        if (start >= uri.length() || uri.charAt(start) != 'p') {
            return -1;
        }
        try {
            return Long.parseLong(uri.substring(start + 1, uri.length() - 4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void reload(String query) {
        if (stopped) {
            return;
        }
        counters.requests.incrementAndGet();
        counters.playlists.incrementAndGet();
        playlistConnection.get(query == null ? playlist : playlist + query, headers, true, on200(body -> {
            Playlist answer = parse(new String(body, StandardCharsets.UTF_8));
            fetchNewParts(answer);
            reload(answer.nextQuery());
        }, kind -> {
            counters.failed((query == null ? "join: " : "reload: ") + kind);
            // 503 after a blocking timeout, a 404 before the first part, a refused connection: rejoin.
            client.schedule(RETRY_MILLIS, () -> reload(null));
        }));
    }

    private void fetchNewParts(Playlist answer) {
        if (answer.map() != null && !answer.map().equals(map)) {
            map = answer.map();
            pendingParts.add(answer.map());
        }
        List<Long> numbers = answer.partNumbers();
        if (!numbers.isEmpty()) {
            long newest = numbers.get(numbers.size() - 1);
            if (lastPart < 0 || newest < lastPart) {
                lastPart = newest - JOIN_PARTS; // joining, or the stream restarted with new part numbers
            }
            for (int i = 0; i < numbers.size(); i++) {
                if (numbers.get(i) > lastPart) {
                    pendingParts.add(answer.partUris().get(i));
                }
            }
            lastPart = newest;
        }
        fetchNext();
    }

    private void fetchNext() {
        if (stopped || partConnection.busy() || pendingParts.isEmpty()) {
            return;
        }
        String relative = pendingParts.poll();
        counters.requests.incrementAndGet();
        counters.parts.incrementAndGet();
        partConnection.get(relative.startsWith("/") ? relative : base + relative, headers, false,
                on200(body -> fetchNext(), kind -> {
                    counters.failed("part: " + kind);
                    fetchNext();
                }));
    }

    /** Counts a 200's bytes and hands its body to {@code ok}; anything else goes to {@code failure}, unless stopped. */
    private EdgeHttpClient.Listener on200(Consumer<byte[]> ok, Consumer<String> failure) {
        return new EdgeHttpClient.Listener() {
            @Override
            public void completed(int status, byte[] body, long bodyBytes) {
                if (status != 200) {
                    failed("HTTP " + status);
                    return;
                }
                counters.bytes.addAndGet(bodyBytes);
                ok.accept(body);
            }

            @Override
            public void failed(String kind) {
                if (!stopped) {
                    failure.accept(kind);
                }
            }
        };
    }
}
