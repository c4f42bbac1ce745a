package io.tribune.transcription.core;

import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio tracks of one consumer thread, keyed {@code meetingId:trackId} like the media records. A track is
 * transcribed only while its captions flag is on: the Started event's {@code captions}, then each in-band
 * {@code media.audio_captions}. Only then does it have a {@link TrackTranscriber} (Opus decoder, VAD, Vosk); the
 * packets of a track with captions off are counted ({@code captions_off_packets}) and cost nothing else.
 *
 * <pre>
 *   Started ──► Track (captions? ─► TrackTranscriber)      AudioCaptions on ─► TrackTranscriber (mid-track)
 *   packets ──► its TrackTranscriber, if any               AudioCaptions off ─► close it (last final out)
 *   Ended / trackIdleTimeout / partition lost ──► close
 * </pre>
 *
 * <p>Tracks open before this consumer's start position (a restart, a rebalance, a new group) are learnt from the
 * {@link TrackLookback} of their partition ({@link #lookbackStarted}, {@link #lookbackDone}); until it answers,
 * their packets are skipped as orphans, and what was seen live meanwhile wins over what it read back. A track whose
 * captions flag is unknown is never transcribed. A track whose flag is known to be on (an in-band switch seen live)
 * but whose Started event is nowhere (older than the look-back window) is transcribed from its packets with
 * Opus at 48 kHz assumed and no speaker name. Not thread-safe: the consumer thread owns it.
 */
public final class Transcriptions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Transcriptions.class);

    /** One track's state; {@code started} null while only its captions switch is known. */
    private static final class Track {
        MediaEvents.AudioTrackStarted started;
        boolean captions;
        TrackTranscriber transcriber;
        /** Whether the transcriber to open next begins mid-track (not with the track's first packet). */
        boolean midTrack;
        final TopicPartition partition;
        long lastSeenMillis;

        Track(MediaEvents.AudioTrackStarted started, boolean captions, boolean midTrack, TopicPartition partition,
              long now) {
            this.started = started;
            this.captions = captions;
            this.midTrack = midTrack;
            this.partition = partition;
            this.lastSeenMillis = now;
        }
    }

    private final SpeechModel model;
    private final CaptionSink sink;
    private final Clock clock;
    private final TranscriberSettings settings;
    private final TranscriptionMetrics metrics;
    private final AtomicInteger openGauge;
    private final Map<String, Track> tracks = new HashMap<>();
    /** Partitions whose look-back has not answered yet, with the tracks that ended there meanwhile. */
    private final Map<TopicPartition, Set<String>> lookingBack = new HashMap<>();
    private int transcribing;

    /** @param openGauge shared by the consumer threads: the tracks being transcribed in the process */
    public Transcriptions(SpeechModel model, CaptionSink sink, Clock clock, TranscriberSettings settings,
                          TranscriptionMetrics metrics, AtomicInteger openGauge) {
        this.model = model;
        this.sink = sink;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.openGauge = openGauge;
    }

    /** Track metadata; other events on the topic are ignored. */
    public void onEvent(Event event, TopicPartition partition) throws PoisonEventException {
        if (event.data() instanceof MediaEvents.AudioTrackStarted started) {
            start(started, partition);
        } else if (event.data() instanceof MediaEvents.AudioCaptions switched) {
            captions(switched, partition);
        } else if (event.data() instanceof MediaEvents.AudioTrackEnded ended) {
            String key = key(ended.meetingId(), ended.trackId());
            Set<String> endedMeanwhile = lookingBack.get(partition);
            if (endedMeanwhile != null) {
                endedMeanwhile.add(key);
            }
            remove(key);
        }
    }

    private void start(MediaEvents.AudioTrackStarted started, TopicPartition partition) throws PoisonEventException {
        if (blank(started.meetingId()) || blank(started.trackId())) {
            throw new PoisonEventException("audio track started without a meeting or track id");
        }
        String key = key(started.meetingId(), started.trackId());
        remove(key); // a repeated start (SFU restart, another tap of the track): begin again
        if (tracks.size() >= maxKnownTracks()) {
            throw new PoisonEventException("over " + maxKnownTracks() + " known tracks on this consumer");
        }
        Track track = new Track(started, started.captions(), false, partition, clock.millis());
        tracks.put(key, track);
        if (track.captions) {
            openTranscriber(key, track);
        }
    }

    private void captions(MediaEvents.AudioCaptions switched, TopicPartition partition) throws PoisonEventException {
        if (blank(switched.meetingId()) || blank(switched.trackId())) {
            throw new PoisonEventException("captions switch without a meeting or track id");
        }
        String key = key(switched.meetingId(), switched.trackId());
        Track track = tracks.get(key);
        if (track == null) {
            // Its Started event is before this consumer's start: the look-back (if running) fills it in.
            if (tracks.size() >= maxKnownTracks()) {
                throw new PoisonEventException("over " + maxKnownTracks() + " known tracks on this consumer");
            }
            track = new Track(null, switched.captions(), true, partition, clock.millis());
            tracks.put(key, track);
            return;
        }
        track.captions = switched.captions();
        if (!track.captions && track.transcriber != null) {
            LOG.info("captions off for {}", key);
            closeTranscriber(key, track);
        } else if (track.captions && track.transcriber == null && track.started != null) {
            track.midTrack = true;
            openTranscriber(key, track);
        }
    }

    private void openTranscriber(String key, Track track) throws PoisonEventException {
        MediaEvents.AudioTrackStarted started = track.started;
        if (!"opus".equalsIgnoreCase(started.codec())) {
            track.captions = false;
            throw new PoisonEventException("audio codec " + started.codec() + " is not supported (only opus)");
        }
        if (started.clockRate() != 48_000) {
            track.captions = false;
            throw new PoisonEventException("Opus RTP clock rate must be 48000, not " + started.clockRate());
        }
        if (transcribing >= settings.maxOpenTracks()) {
            track.captions = false;
            throw new PoisonEventException("over " + settings.maxOpenTracks() + " open tracks on this consumer");
        }
        track.transcriber = new TrackTranscriber(started, track.midTrack, model, sink, clock, settings, metrics);
        transcribing++;
        openGauge.incrementAndGet();
        metrics.tracksOpened.inc();
        LOG.info("transcribing {} ({}){}", key, started.displayName(), track.midTrack ? " from mid-track" : "");
    }

    public void onPacket(String key, RtpRecord packet) {
        metrics.packets.inc();
        Track track = tracks.get(key);
        if (track == null) {
            metrics.orphanPackets.inc();
            return;
        }
        track.lastSeenMillis = clock.millis();
        if (track.transcriber == null && track.captions && track.started == null
                && !lookingBack.containsKey(track.partition)) {
            fromPacket(key, track, packet);
        }
        if (track.transcriber == null) {
            (track.captions ? metrics.orphanPackets : metrics.captionsOffPackets).inc();
            return;
        }
        track.transcriber.onPacket(packet);
    }

    /** Captions are known on but the track's Started event is not: transcribe it from its packets anyway. */
    private void fromPacket(String key, Track track, RtpRecord packet) {
        int colon = key.indexOf(':');
        String meetingId = colon < 0 ? key : key.substring(0, colon);
        String trackId = colon < 0 ? key : key.substring(colon + 1);
        track.started = new MediaEvents.AudioTrackStarted(meetingId, trackId, null, null, packet.ssrc(), "opus",
                48_000, packet.payloadType(), Instant.ofEpochMilli(packet.arrivalMicros() / 1000), null, true);
        track.midTrack = true;
        try {
            openTranscriber(key, track);
            metrics.tracksResumed.inc();
        } catch (PoisonEventException e) {
            LOG.warn("cannot transcribe {} from its packets: {}", key, e.getMessage());
        }
    }

    /** A look-back of {@code partition} begins: its unknown tracks wait for {@link #lookbackDone}. */
    public void lookbackStarted(TopicPartition partition) {
        metrics.lookbacks.inc();
        lookingBack.put(partition, new HashSet<>());
    }

    /**
     * What the look-back read on {@code partition}; null when it failed (the partition's unknown tracks are then
     * transcribed only if a captions switch is seen live). Tracks seen live since win.
     */
    public void lookbackDone(TopicPartition partition, Map<String, KnownTrack> known) {
        Set<String> endedMeanwhile = lookingBack.remove(partition);
        if (known == null) {
            metrics.lookbackFailed();
        }
        if (endedMeanwhile == null || known == null) {
            return;
        }
        for (Map.Entry<String, KnownTrack> entry : known.entrySet()) {
            String key = entry.getKey();
            KnownTrack past = entry.getValue();
            if (past.ended() || endedMeanwhile.contains(key)) {
                continue;
            }
            Track track = tracks.get(key);
            if (track == null) {
                if (past.started() == null || tracks.size() >= maxKnownTracks()) {
                    continue;
                }
                track = new Track(past.started(), past.captions(), true, partition, clock.millis());
                tracks.put(key, track);
            } else if (track.started == null) {
                track.started = past.started(); // the live captions switch is newer than the past flag
            } else {
                continue; // its Started event was seen live
            }
            if (track.started != null && track.captions && track.transcriber == null) {
                try {
                    track.midTrack = true;
                    openTranscriber(key, track);
                    metrics.tracksResumed.inc();
                } catch (PoisonEventException e) {
                    LOG.warn("cannot resume {}: {}", key, e.getMessage());
                }
            }
        }
    }

    /** Closes the tracks that went quiet without an Ended event. */
    public void sweep() {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Track>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Track> entry = it.next();
            Track track = entry.getValue();
            if (now - track.lastSeenMillis >= settings.trackIdleTimeout().toMillis()) {
                it.remove();
                if (track.transcriber != null) {
                    LOG.info("closing idle track {}", entry.getKey());
                    metrics.tracksIdleClosed.inc();
                    closeTranscriber(entry.getKey(), track);
                }
            }
        }
    }

    /** The partitions went to another consumer: their tracks end here. */
    public void dropPartitions(Collection<TopicPartition> partitions) {
        for (Iterator<Map.Entry<String, Track>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Track> entry = it.next();
            if (partitions.contains(entry.getValue().partition)) {
                it.remove();
                closeTranscriber(entry.getKey(), entry.getValue());
            }
        }
        partitions.forEach(lookingBack::remove);
    }

    /** Tracks being transcribed now (captions on). */
    public int openTracks() {
        return transcribing;
    }

    /** Tracks known, transcribed or not. */
    public int knownTracks() {
        return tracks.size();
    }

    private int maxKnownTracks() {
        return settings.maxOpenTracks() * 8;
    }

    private void remove(String key) {
        Track track = tracks.remove(key);
        if (track != null) {
            closeTranscriber(key, track);
        }
    }

    private void closeTranscriber(String key, Track track) {
        TrackTranscriber transcriber = track.transcriber;
        if (transcriber == null) {
            return;
        }
        track.transcriber = null;
        transcribing--;
        openGauge.decrementAndGet();
        try {
            transcriber.close();
        } catch (RuntimeException e) {
            LOG.warn("closing track {} failed: {}", key, e.toString());
        }
    }

    @Override
    public void close() {
        for (Map.Entry<String, Track> entry : Map.copyOf(tracks).entrySet()) {
            closeTranscriber(entry.getKey(), entry.getValue());
        }
        tracks.clear();
    }

    private static String key(String meetingId, String trackId) {
        return meetingId + ":" + trackId;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
