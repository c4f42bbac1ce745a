package io.tribune.hls.live;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocolException;
import io.tribune.common.media.TrackKind;
import io.tribune.hls.cmaf.Cmaf;
import io.tribune.hls.cmaf.CutPart;
import io.tribune.hls.cmaf.TrackFormat;
import io.tribune.hls.cmaf.VariantSegmenter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One town hall's live stream: turns ingest frames into renditions. Every VIDEO track is a variant (its name is
 * the rung) with the event's AUDIO track muxed in; a subtitles rendition mirrors the first variant's segments with
 * WebVTT files, which carry the final captions handed to {@link #captions()} (see {@link SubtitleCues} for which
 * cues go into which segment and {@link WebVtt} for their timing).
 *
 * <p>Ingest contract, beyond the framing: announce every track before its first sample; a TRACK frame that changes
 * a format after samples have flowed starts a new timeline (as DISCONTINUITY does); the first video sample of a
 * timeline must be a keyframe (earlier ones are dropped); keyframes must come at least every segment target and at
 * the same times on every rung; dts must not decrease within a track.
 *
 * <p>Thread-safety: {@link #accept} and {@link #connectionLost} are called by one ingest thread at a time (the
 * {@link EventRegistry} lets one connection feed an event); the readers ({@link #rendition}, {@link #multivariant})
 * may be called from any thread, and so may {@link #captions()}.
 */
public final class LiveEvent {

    /** The subtitles rendition's name and its path in the event. */
    public static final String SUBTITLES = "subs";

    private final String eventId;
    private final String runId;
    private final LiveSettings settings;
    private final Clock clock;
    private final RenditionListener listener;
    private final String subtitlesLanguage;

    private final Map<Integer, TrackFormat> tracks = new HashMap<>();
    private final Map<Integer, Variant> variantsByTrack = new HashMap<>();
    /** Written by the ingest thread, read by HTTP threads: replaced, never mutated. */
    private volatile Map<String, Rendition> renditions = Map.of();
    private volatile List<Variant> variants = List.of();
    private final Rendition subtitles;
    private final SubtitleCues captions = new SubtitleCues();
    private Integer audioTrackId;
    private boolean samplesFlowed;
    private volatile boolean ended;
    private long droppedSamples;

    private final class Variant implements VariantSegmenter.Listener {
        volatile TrackFormat video;
        final Rendition rendition;
        final VariantSegmenter segmenter;
        boolean initWritten;
        /** pts of the open segment's first video sample (the video timescale); ingest thread only. */
        long segmentStartPts;

        Variant(TrackFormat video, TrackFormat audio) {
            this.video = video;
            this.rendition = new Rendition(video.name(), runId, settings, clock, true, listener);
            this.segmenter = new VariantSegmenter(video, audio, settings.partTarget(), settings.segmentTarget(), this);
        }

        @Override
        public void onPart(CutPart part) {
            if (part.startsSegment()) {
                segmentStartPts = part.startPts();
            }
            rendition.addPart(part);
            if (part.endsSegment() && this == variants.get(0)) {
                mirrorSubtitles(WebVtt.mpegTs(segmentStartPts, video.timescale()));
            }
        }

        void ensureInit() {
            if (!initWritten) {
                rendition.init(Cmaf.initSegment(segmenter.trackFormats()));
                initWritten = true;
            }
        }
    }

    public LiveEvent(String eventId, String runId, LiveSettings settings, Clock clock, RenditionListener listener,
                     String subtitlesLanguage) {
        this.eventId = Objects.requireNonNull(eventId);
        this.runId = Objects.requireNonNull(runId);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.listener = Objects.requireNonNull(listener);
        this.subtitlesLanguage = subtitlesLanguage;
        this.subtitles = new Rendition(SUBTITLES, runId, settings, clock, false, listener);
    }

    public String eventId() {
        return eventId;
    }

    public String runId() {
        return runId;
    }

    public boolean ended() {
        return ended;
    }

    /** Handles one frame of the connection that feeds this event (HELLO is the registry's). */
    public void accept(IngestFrame frame) throws IngestProtocolException {
        if (ended) {
            throw new IngestProtocolException("event " + eventId + " has ended");
        }
        if (frame instanceof IngestFrame.TrackAnnounce announce) {
            announce(announce);
        } else if (frame instanceof IngestFrame.Sample sample) {
            sample(sample);
        } else if (frame instanceof IngestFrame.Discontinuity) {
            newTimeline();
        } else if (frame instanceof IngestFrame.End) {
            end();
        } else {
            throw new IngestProtocolException("unexpected " + frame.getClass().getSimpleName());
        }
    }

    /** The feeding connection dropped without END: the open segments complete; a new connection continues. */
    public void connectionLost() {
        if (!ended) {
            newTimeline();
        }
    }

    private void announce(IngestFrame.TrackAnnounce announce) throws IngestProtocolException {
        TrackFormat format;
        try {
            format = TrackFormat.of(announce);
        } catch (IllegalArgumentException e) {
            throw new IngestProtocolException("track " + announce.trackId() + ": " + e.getMessage());
        }
        TrackFormat previous = tracks.get(announce.trackId());
        if (format.equals(previous)) {
            return;
        }
        if (samplesFlowed) {
            newTimeline();
        }
        if (previous != null && previous.kind() != format.kind()) {
            throw new IngestProtocolException("track " + announce.trackId() + " changed kind");
        }
        tracks.put(announce.trackId(), format);
        if (format.kind() == TrackKind.AUDIO) {
            if (audioTrackId != null && audioTrackId != announce.trackId()) {
                throw new IngestProtocolException("one audio track per event (muxed into every variant)");
            }
            audioTrackId = announce.trackId();
            for (Variant variant : variants) {
                variant.segmenter.formats(variant.video, format);
                variant.initWritten = false;
            }
            return;
        }
        Variant existing = renditions.containsKey(format.name()) ? variantNamed(format.name()) : null;
        if (existing != null) {
            existing.video = format;
            existing.segmenter.formats(format, audioFormat());
            existing.initWritten = false;
            variantsByTrack.values().remove(existing);
            variantsByTrack.put(announce.trackId(), existing);
            return;
        }
        Variant variant = new Variant(format, audioFormat());
        variantsByTrack.put(announce.trackId(), variant);
        List<Variant> all = new ArrayList<>(variants);
        all.add(variant);
        // Highest first: the multivariant playlist lists them so, and the subtitles follow the top rung.
        all.sort(Comparator.comparingLong((Variant v) -> (long) v.video.width() * v.video.height()).reversed());
        Map<String, Rendition> byName = new LinkedHashMap<>();
        all.forEach(v -> byName.put(v.rendition.name(), v.rendition));
        byName.put(SUBTITLES, subtitles);
        variants = List.copyOf(all);
        renditions = byName;
    }

    private void sample(IngestFrame.Sample sample) throws IngestProtocolException {
        TrackFormat format = tracks.get(sample.trackId());
        if (format == null) {
            throw new IngestProtocolException("sample for unannounced track " + sample.trackId());
        }
        if (sample.dts() < 0) {
            droppedSamples++;
            return;
        }
        samplesFlowed = true;
        if (format.kind() == TrackKind.VIDEO) {
            Variant variant = variantsByTrack.get(sample.trackId());
            variant.ensureInit();
            variant.segmenter.onVideo(VariantSegmenter.sample(sample, false));
        } else {
            for (Variant variant : variants) {
                // Each variant gets its own sample object: the segmenter sets durations on it.
                variant.segmenter.onAudio(VariantSegmenter.sample(sample, true));
            }
        }
    }

    private void newTimeline() {
        for (Variant variant : variants) {
            variant.segmenter.flush();
            variant.rendition.discontinuity();
        }
        subtitles.discontinuity();
        samplesFlowed = false;
    }

    private void end() {
        for (Variant variant : variants) {
            variant.segmenter.flush();
            variant.rendition.end();
        }
        subtitles.end();
        ended = true;
    }

    /** The subtitle segment for the top rung's segment just completed, with the captions that belong in it. */
    private void mirrorSubtitles(long mpegTs) {
        Rendition top = variants.get(0).rendition;
        Rendition.SegmentInfo last;
        Instant windowStart;
        synchronized (top) {
            List<Rendition.SegmentInfo> history = top.historyView();
            last = history.get(history.size() - 1);
            windowStart = history.get(Math.max(0, history.size() - settings.windowSegments())).programDateTime();
        }
        Instant start = last.programDateTime();
        Instant end = start.plusNanos(Math.round(last.duration() * 1e9));
        List<SubtitleCues.Cue> cues = captions.take(start, end, windowStart);
        subtitles.addSegment(last.duration(), start, WebVtt.segment(start, mpegTs, cues));
    }

    /** Where the event's final captions go; they appear in the next subtitle segments written. */
    public SubtitleCues captions() {
        return captions;
    }

    private Variant variantNamed(String name) {
        for (Variant variant : variants) {
            if (variant.rendition.name().equals(name)) {
                return variant;
            }
        }
        return null;
    }

    private TrackFormat audioFormat() {
        return audioTrackId == null ? null : tracks.get(audioTrackId);
    }

    /** A rendition by name ({@code 360p}, {@code subs}), or null. */
    public Rendition rendition(String name) {
        return renditions.get(name);
    }

    /** The reports for every rendition with parts other than {@code name}. */
    public List<Rendition.Report> reportsExcept(String name) {
        List<Rendition.Report> reports = new ArrayList<>();
        for (Variant variant : variants) {
            if (!variant.rendition.name().equals(name)) {
                reports.add(variant.rendition.report());
            }
        }
        return reports;
    }

    /**
     * The multivariant playlist, or null until every variant lists a complete segment: a player that starts earlier
     * would find media playlists of parts alone (hls.js reports levelEmptyError, switches level and may stall).
     */
    public String multivariant() {
        List<Variant> current = variants;
        if (current.isEmpty() || current.stream().anyMatch(v -> !v.rendition.listable())) {
            return null;
        }
        List<MultivariantPlaylist.Variant> entries = new ArrayList<>();
        TrackFormat audio = audioFormat();
        for (Variant variant : current) {
            entries.add(new MultivariantPlaylist.Variant(variant.video, audio,
                    variant.rendition.peakBitsPerSecond()));
        }
        return MultivariantPlaylist.render(entries, SUBTITLES, subtitlesLanguage);
    }

    /** Names of the video renditions, highest first. */
    public List<String> variantNames() {
        return variants.stream().map(v -> v.rendition.name()).toList();
    }

    /** Samples dropped so far (negative dts, before a keyframe, late audio). */
    public long droppedSamples() {
        long total = droppedSamples;
        for (Variant variant : variants) {
            total += variant.segmenter.droppedSamples();
        }
        return total;
    }
}
