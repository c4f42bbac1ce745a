package io.tribune.hls.testing;

import io.tribune.hls.cmaf.Boxes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Our own conformance checker for the LL-HLS rules of rfc8216bis that issue 6 names, run as a low-latency client
 * follows one media playlist live: each reload asks for the next part with {@code _HLS_msn}/{@code _HLS_part} and
 * fetches the preload hint at the same time. It records violations instead of stopping at the first:
 *
 * <ul>
 *   <li>every EXT-X-PART DURATION &lt;= PART-TARGET; every EXTINF rounds to &lt;= TARGETDURATION;</li>
 *   <li>PART-HOLD-BACK &gt;= 3 x PART-TARGET, CAN-BLOCK-RELOAD=YES, PROGRAM-DATE-TIME on every segment;</li>
 *   <li>MEDIA-SEQUENCE never decreases; a part keeps its URI, position and duration across reloads;</li>
 *   <li>a blocking reload answers with the part it asked for (or a later one);</li>
 *   <li>the preload hint resolves: the hinted URI answers 200 and is the next part listed (or 404 once the
 *       playlist has ended);</li>
 *   <li>every INDEPENDENT=YES part, and every segment, starts with a sync sample; parts carry no gaps in their
 *       decode times.</li>
 * </ul>
 */
public final class LlHlsConformance {

    private final HttpClient http;
    private final URI playlist;
    private final String cookieHeader;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, long[]> knownParts = new HashMap<>();
    private final Map<String, Double> knownDurations = new HashMap<>();
    private final List<Long> blockingMillis = new ArrayList<>();
    private long lastMediaSequence = -1;
    private int partsChecked;
    private int hintsResolved;
    private int reloads;
    private PlaylistText.Media last;

    public LlHlsConformance(HttpClient http, URI playlist, String cookieHeader) {
        this.http = http;
        this.playlist = playlist;
        this.cookieHeader = cookieHeader;
    }

    /** Follows the playlist until EXT-X-ENDLIST or {@code limit}; returns the violations. */
    public List<String> follow(Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        PlaylistText.Media media = check(get(playlist).body(), null);
        while (!media.endList() && Instant.now().isBefore(deadline)) {
            long[] lastPart = media.lastPart();
            long msn = lastPart == null ? media.mediaSequence() : lastPart[0];
            long part = lastPart == null ? 0 : lastPart[1] + 1;
            String hint = media.preloadHint();
            CompletableFuture<HttpResponse<byte[]>> hinted = hint == null ? null
                    : http.sendAsync(request(playlist.resolve(hint)), HttpResponse.BodyHandlers.ofByteArray());
            long started = System.nanoTime();
            HttpResponse<String> response = get(URI.create(playlist + "?_HLS_msn=" + msn + "&_HLS_part=" + part));
            blockingMillis.add((System.nanoTime() - started) / 1_000_000);
            if (response.statusCode() != 200) {
                violations.add("blocking reload msn=" + msn + " part=" + part + " answered " + response.statusCode());
                break;
            }
            if (!response.headers().firstValue("Cache-Control").orElse("").contains("max-age")) {
                violations.add("blocking playlist without max-age");
            }
            media = check(response.body(), new long[] {msn, part});
            if (hinted != null) {
                checkHint(hint, hinted.join(), media);
            }
        }
        if (!media.endList()) {
            violations.add("no EXT-X-ENDLIST before the limit");
        }
        return violations;
    }

    private PlaylistText.Media check(String text, long[] asked) throws IOException, InterruptedException {
        reloads++;
        PlaylistText.Media media = PlaylistText.media(text);
        last = media;
        if (media.targetDuration() <= 0 || media.partTarget() <= 0) {
            violations.add("missing TARGETDURATION or PART-INF");
            return media;
        }
        if (!media.canBlock()) {
            violations.add("CAN-BLOCK-RELOAD is not YES");
        }
        if (media.partHoldBack() < 3 * media.partTarget() - 1e-9) {
            violations.add("PART-HOLD-BACK " + media.partHoldBack() + " < 3 x PART-TARGET " + media.partTarget());
        }
        if (media.mediaSequence() < lastMediaSequence) {
            violations.add("MEDIA-SEQUENCE went back from " + lastMediaSequence + " to " + media.mediaSequence());
        }
        lastMediaSequence = media.mediaSequence();
        if (!media.endList() && media.preloadHint() == null) {
            violations.add("live playlist without PRELOAD-HINT");
        }
        for (PlaylistText.SegmentEntry segment : media.segments()) {
            if (Math.round(segment.duration()) > media.targetDuration()) {
                violations.add("segment " + segment.uri() + " lasts " + segment.duration() + " s > TARGETDURATION");
            }
            if (segment.programDateTime() == null) {
                violations.add("segment " + segment.uri() + " has no PROGRAM-DATE-TIME");
            }
            if (!segment.parts().isEmpty()) {
                double sum = segment.parts().stream().mapToDouble(PlaylistText.PartEntry::duration).sum();
                if (Math.abs(sum - segment.duration()) > 0.002 * segment.parts().size()) {
                    violations.add("segment " + segment.uri() + " EXTINF " + segment.duration() + " != parts " + sum);
                }
                if (!segment.parts().get(0).independent()) {
                    violations.add("segment " + segment.uri() + " does not start with an INDEPENDENT part");
                }
            }
        }
        Map<String, long[]> positions = media.partPositions();
        for (Map.Entry<String, long[]> entry : positions.entrySet()) {
            long[] known = knownParts.putIfAbsent(entry.getKey(), entry.getValue());
            if (known != null && !Arrays.equals(known, entry.getValue())) {
                violations.add("part " + entry.getKey() + " moved from " + Arrays.toString(known) + " to "
                        + Arrays.toString(entry.getValue()));
            }
        }
        List<PlaylistText.PartEntry> allParts = new ArrayList<>();
        media.segments().forEach(s -> allParts.addAll(s.parts()));
        allParts.addAll(media.openParts());
        for (PlaylistText.PartEntry part : allParts) {
            if (part.duration() > media.partTarget() + 1e-9) {
                violations.add("part " + part.uri() + " lasts " + part.duration() + " > PART-TARGET");
            }
            Double known = knownDurations.putIfAbsent(part.uri(), part.duration());
            if (known == null) {
                checkPartMedia(part);
            } else if (known != part.duration()) {
                violations.add("part " + part.uri() + " changed duration");
            }
        }
        if (asked != null && !media.endList()) {
            boolean holds = positions.values().stream().anyMatch(p -> p[0] > asked[0]
                    || (p[0] == asked[0] && p[1] >= asked[1]));
            if (!holds) {
                violations.add("blocking reload for msn=" + asked[0] + " part=" + asked[1]
                        + " answered without that part");
            }
        }
        return media;
    }

    private void checkPartMedia(PlaylistText.PartEntry part) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(playlist.resolve(part.uri())),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            violations.add("part " + part.uri() + " answered " + response.statusCode());
            return;
        }
        if (!response.headers().firstValue("Cache-Control").orElse("").contains("immutable")) {
            violations.add("part " + part.uri() + " is not cacheable as immutable");
        }
        List<Boxes.Run> runs = Boxes.runs(Boxes.first(Boxes.parse(response.body()), "moof"));
        Boxes.Run video = runs.get(0);
        boolean sync = Boxes.isSync(video.flags()[0]);
        if (part.independent() && !sync) {
            violations.add("INDEPENDENT part " + part.uri() + " does not start with a sync sample");
        }
        double seconds = video.duration() / 90_000.0;
        if (Math.abs(seconds - part.duration()) > 0.0011) {
            violations.add("part " + part.uri() + " holds " + seconds + " s of video but says " + part.duration());
        }
        partsChecked++;
    }

    private void checkHint(String hint, HttpResponse<byte[]> response, PlaylistText.Media media) {
        if (response.statusCode() == 404 && media.endList()) {
            return; // the stream ended before the hinted part existed: it never will
        }
        if (response.statusCode() != 200) {
            violations.add("preload hint " + hint + " answered " + response.statusCode());
            return;
        }
        if (!media.partPositions().containsKey(hint) && !media.endList()) {
            violations.add("preload hint " + hint + " is not listed after it was served");
            return;
        }
        hintsResolved++;
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(request(uri), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (cookieHeader != null) {
            builder.header("Cookie", cookieHeader);
        }
        return builder.build();
    }

    public int partsChecked() {
        return partsChecked;
    }

    public int hintsResolved() {
        return hintsResolved;
    }

    public int reloads() {
        return reloads;
    }

    /** Median time a blocking reload was held, in ms. */
    public long medianBlockingMillis() {
        List<Long> sorted = new ArrayList<>(blockingMillis);
        sorted.sort(null);
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
    }

    public PlaylistText.Media lastPlaylist() {
        return last;
    }
}
