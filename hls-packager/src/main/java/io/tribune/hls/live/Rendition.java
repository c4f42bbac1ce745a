package io.tribune.hls.live;

import io.tribune.common.media.IngestFrame;
import io.tribune.hls.cmaf.CutPart;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One media playlist of a live event and the files it names: a video variant (with parts) or the subtitles (whole
 * segments). The ingest thread appends; HTTP threads read the playlist and files and wait for future ones
 * (blocking playlist reload, the preload hint).
 *
 * <p>Thread-safe: every field is guarded by {@code this}. Waiting requests are futures completed outside the lock by
 * the writer thread; whoever waits must continue on its own executor ({@code whenCompleteAsync}), never on the
 * ingest thread.
 */
public final class Rendition {

    private static final Pattern FILE = Pattern.compile("(init|p|s)([0-9]{1,18})\\.(mp4|m4s|vtt)");

    /**
     * The media sequence number of a rendition's first segment. Not 0: hls.js (1.4) asks for a blocking playlist
     * reload ({@code _HLS_msn}) only while the last complete segment's number is truthy, so with a playlist whose
     * one complete segment is number 0 it fell back to plain reloads a target duration apart, which a CDN may answer
     * from a copy up to two seconds old (stale-while-revalidate): a player that started at the event's first
     * playlist ran out of parts and stalled. Any first number is valid (rfc8216bis 4.4.3.2).
     */
    public static final long FIRST_MSN = 1;

    /** Summary of a finished segment kept for the whole event: what the VOD playlist lists. */
    record SegmentInfo(long msn, double duration, Instant programDateTime, boolean discontinuity, String initFile,
                       long discontinuitiesBefore) {
    }

    /** Where another rendition's playlist stands, for EXT-X-RENDITION-REPORT. */
    public record Report(String name, long lastMsn, int lastPart) {
    }

    private record Waiter(BooleanSupplier ready, CompletableFuture<Void> future) {
    }

    private final String name;
    private final String runId;
    private final LiveSettings settings;
    private final Clock clock;
    private final boolean withParts;
    private final String segmentExtension;
    private final RenditionListener listener;

    private final Deque<Segment> segments = new ArrayDeque<>();
    private final Map<Long, Part> partsByNumber = new HashMap<>();
    private final List<SegmentInfo> history = new ArrayList<>();
    private final Map<Integer, byte[]> inits = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private Segment open;
    private long nextMsn = FIRST_MSN;
    private long nextPartNumber;
    private int initNumber = -1;
    private boolean discontinuityPending;
    private long discontinuities;
    private boolean ended;
    private double peakBitsPerSecond;

    /**
     * @param name      rung name ({@code 360p}) or {@code subs}
     * @param runId     names this packager run's files ({@code <runId>/p12.m4s}), so that URIs are unique per stream
     *                  start and may be cached as immutable
     * @param withParts LL-HLS parts (video) or whole segments only (subtitles)
     */
    public Rendition(String name, String runId, LiveSettings settings, Clock clock, boolean withParts,
                     RenditionListener listener) {
        if (!IngestFrame.NAME.matcher(name).matches() || !IngestFrame.NAME.matcher(runId).matches()) {
            throw new IllegalArgumentException("bad rendition name or run id");
        }
        this.name = name;
        this.runId = runId;
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.withParts = withParts;
        this.segmentExtension = withParts ? ".m4s" : ".vtt";
        this.listener = Objects.requireNonNull(listener);
    }

    public String name() {
        return name;
    }

    public String runId() {
        return runId;
    }

    public LiveSettings settings() {
        return settings;
    }

    public boolean hasParts() {
        return withParts;
    }

    // ---- writer side (one ingest thread) ----

    /** A new init segment, in force from the next segment on. */
    public void init(byte[] bytes) {
        String fileName;
        synchronized (this) {
            initNumber++;
            inits.put(initNumber, bytes.clone());
            fileName = "init" + initNumber + ".mp4";
        }
        listener.onInit(this, fileName, bytes);
    }

    /** The next segment starts a new timeline (EXT-X-DISCONTINUITY). */
    public synchronized void discontinuity() {
        if (nextMsn > FIRST_MSN) {
            discontinuityPending = true;
        }
    }

    public void addPart(CutPart cut) {
        if (!withParts) {
            throw new IllegalStateException("a subtitles rendition takes whole segments");
        }
        Segment completed = null;
        List<CompletableFuture<Void>> ready;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (open == null || cut.startsSegment()) {
                if (open != null) {
                    completed = completeOpen();
                }
                open = new Segment(nextMsn++, programDateTime(cut.captureTimeMicros()), discontinuityPending,
                        "init" + Math.max(0, initNumber) + ".mp4");
                discontinuityPending = false;
            }
            Part part = new Part(nextPartNumber++, open.parts().size(), cut.durationSeconds(), cut.independent(),
                    cut.fragment());
            open.add(part);
            partsByNumber.put(part.number(), part);
            if (cut.endsSegment()) {
                completed = completeOpen();
            }
            ready = readyWaiters();
        }
        if (completed != null) {
            listener.onSegment(this, completed, completed.fileName(segmentExtension));
        }
        ready.forEach(f -> f.complete(null));
    }

    /** A whole segment (subtitles), e.g. mirroring a video segment just completed. */
    public void addSegment(double duration, Instant programDateTime, byte[] bytes) {
        Segment segment;
        List<CompletableFuture<Void>> ready;
        synchronized (this) {
            if (ended) {
                return;
            }
            segment = Segment.whole(nextMsn++, programDateTime, discontinuityPending, duration, bytes);
            discontinuityPending = false;
            remember(segment);
            ready = readyWaiters();
        }
        listener.onSegment(this, segment, segment.fileName(segmentExtension));
        ready.forEach(f -> f.complete(null));
    }

    /** No more media: the playlist gets EXT-X-ENDLIST, and every waiting request is answered now. */
    public void end() {
        Segment completed = null;
        List<CompletableFuture<Void>> ready;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (open != null) {
                completed = completeOpen();
            }
            ended = true;
            ready = readyWaiters();
        }
        if (completed != null) {
            listener.onSegment(this, completed, completed.fileName(segmentExtension));
        }
        ready.forEach(f -> f.complete(null));
    }

    private Segment completeOpen() {
        Segment segment = open;
        open = null;
        segment.complete();
        double bitsPerSecond = segment.duration() > 0 ? segment.bytes().length * 8 / segment.duration() : 0;
        peakBitsPerSecond = Math.max(peakBitsPerSecond, bitsPerSecond);
        remember(segment);
        return segment;
    }

    private void remember(Segment segment) {
        if (segment.discontinuity()) {
            discontinuities++;
        }
        history.add(new SegmentInfo(segment.msn(), segment.duration(), segment.programDateTime(),
                segment.discontinuity(), segment.initFile(), discontinuities - (segment.discontinuity() ? 1 : 0)));
        segments.addLast(segment);
        while (segments.size() > settings.retainSegments()) {
            Segment gone = segments.removeFirst();
            gone.parts().forEach(p -> partsByNumber.remove(p.number()));
        }
        // Parts of segments that have left the playlist's part window stay fetchable a little longer.
        int index = 0;
        int keepPartsOf = settings.windowSegments();
        for (Segment s : segments) {
            if (index++ < segments.size() - keepPartsOf && !s.parts().isEmpty()) {
                s.parts().forEach(p -> partsByNumber.remove(p.number()));
                s.dropParts();
            }
        }
    }

    private Instant programDateTime(long captureTimeMicros) {
        if (captureTimeMicros != IngestFrame.Sample.NO_CAPTURE_TIME) {
            return Instant.EPOCH.plusNanos(captureTimeMicros * 1000);
        }
        SegmentInfo last = history.isEmpty() ? null : history.get(history.size() - 1);
        if (last != null && !discontinuityPending) {
            return last.programDateTime().plusNanos((long) (last.duration() * 1e9));
        }
        return clock.instant();
    }

    private List<CompletableFuture<Void>> readyWaiters() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.future().isDone()) {
                it.remove();
            } else if (ended || waiter.ready().getAsBoolean()) {
                it.remove();
                ready.add(waiter.future());
            }
        }
        return ready;
    }

    // ---- reader side (HTTP threads) ----

    /**
     * Checks a blocking request against rfc8216bis 6.2.5.2's limits.
     *
     * @throws IllegalArgumentException when it asks too far ahead (the origin answers 400)
     */
    public synchronized void checkLimits(BlockingRequest request) {
        if (!request.blocking() || ended) {
            return;
        }
        long lastCompleteMsn = history.isEmpty() ? FIRST_MSN - 1 : history.get(history.size() - 1).msn();
        if (request.msn() > lastCompleteMsn + 2) {
            throw new IllegalArgumentException("_HLS_msn " + request.msn() + " is more than two segments ahead");
        }
        if (request.part() >= 0 && withParts) {
            long openMsn = open != null ? open.msn() : nextMsn;
            int lastIndex = open != null ? open.parts().size() - 1 : -1;
            long ahead = (request.msn() - openMsn) * settings.nominalPartsPerSegment() + request.part() - lastIndex;
            if (ahead > settings.advancePartLimit()) {
                throw new IllegalArgumentException("_HLS_part is more than " + settings.advancePartLimit()
                        + " parts ahead");
            }
        }
    }

    /**
     * Completes when the playlist holds what {@code request} asks for (or the rendition has ended): segment
     * {@code msn} complete, or part {@code part} of it published. A part index past the last part of a complete
     * segment counts as part 0 of the next one (rfc8216bis 6.2.5.2). The caller applies the timeout.
     */
    public CompletableFuture<Void> awaitPlaylist(BlockingRequest request) {
        // Without parts (subtitles) a part index means nothing: wait for the segment.
        int part = withParts ? request.part() : -1;
        return await(() -> holds(request.msn(), part));
    }

    /** Completes when part {@code number} is published (or the rendition has ended). */
    public CompletableFuture<Void> awaitPart(long number) {
        return await(() -> partsByNumber.containsKey(number) || number < nextPartNumber);
    }

    private CompletableFuture<Void> await(BooleanSupplier ready) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            if (ended || ready.getAsBoolean()) {
                future.complete(null);
            } else {
                waiters.add(new Waiter(ready, future));
            }
        }
        return future;
    }

    /** Guarded by this. */
    private boolean holds(long msn, int part) {
        long lastCompleteMsn = history.isEmpty() ? -1 : history.get(history.size() - 1).msn();
        if (msn <= lastCompleteMsn) {
            if (part < 0 || msn < lastCompleteMsn) {
                return true;
            }
            Segment last = segments.peekLast();
            if (last == null || last.msn() != msn || part < last.parts().size()) {
                return true;
            }
            // Past the last part of a complete segment: part 0 of the next one.
            return open != null && open.msn() == msn + 1 && !open.parts().isEmpty();
        }
        return part >= 0 && open != null && open.msn() == msn && open.parts().size() > part;
    }

    /**
     * Whether a player may be given this rendition's playlist: once it lists a complete segment (or it ended). A
     * playlist of parts alone has no segment for hls.js (it reports levelEmptyError, switches level and may stall).
     */
    public synchronized boolean listable() {
        return ended || !segments.isEmpty();
    }

    /** The number the next part will get: the preload hint's. */
    public synchronized long nextPartNumber() {
        return nextPartNumber;
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Largest bits per second of a complete segment so far (0 before the first). */
    public synchronized double peakBitsPerSecond() {
        return peakBitsPerSecond;
    }

    public synchronized Report report() {
        if (open != null && !open.parts().isEmpty()) {
            return new Report(name, open.msn(), open.parts().size() - 1);
        }
        Segment last = segments.peekLast();
        if (last == null) {
            return new Report(name, FIRST_MSN, -1);
        }
        return new Report(name, last.msn(), Math.max(0, last.parts().size() - 1));
    }

    /**
     * A file of this rendition: {@code init<k>.mp4}, {@code p<n>.m4s}, {@code s<msn>.m4s} or {@code s<msn>.vtt}, or
     * null when it does not exist (any more, or yet).
     */
    public synchronized byte[] file(String fileName) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        long number = Long.parseLong(m.group(2));
        switch (m.group(1)) {
            case "init":
                return m.group(3).equals("mp4") && number <= Integer.MAX_VALUE ? inits.get((int) number) : null;
            case "p":
                Part part = m.group(3).equals("m4s") ? partsByNumber.get(number) : null;
                return part == null ? null : part.bytes();
            default:
                if (!fileName.endsWith(segmentExtension)) {
                    return null;
                }
                for (Segment segment : segments) {
                    if (segment.msn() == number && segment.isComplete()) {
                        return segment.bytes();
                    }
                }
                return null;
        }
    }

    /** The live media playlist, with rendition reports for {@code others}. */
    public String playlist(List<Report> others) {
        synchronized (this) {
            return MediaPlaylist.live(this, List.copyOf(segments), open, others, ended);
        }
    }

    /** The whole event as a VOD playlist (EXT-X-PLAYLIST-TYPE:VOD, EXT-X-ENDLIST). */
    public synchronized String vodPlaylist() {
        return MediaPlaylist.vod(this, List.copyOf(history));
    }

    /** Guarded by this; for MediaPlaylist. */
    long discontinuitiesBefore(long msn) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).msn() == msn) {
                return history.get(i).discontinuitiesBefore();
            }
        }
        return discontinuities;
    }

    /** Guarded by this: the caller holds the lock. */
    List<SegmentInfo> historyView() {
        return history;
    }

    String segmentExtension() {
        return segmentExtension;
    }
}
