package io.tribune.recording.core;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RecordingEvents;
import io.tribune.events.RtpRecord;
import io.tribune.recording.db.ArchiveState;
import io.tribune.recording.mux.TrackCodec;
import io.tribune.recording.storage.ObjectStore;
import io.tribune.recording.storage.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's state machine: opens a {@link TrackRecorder} per recorded track on its Started event, feeds it the
 * track's packets, closes it on its Ended event (or when no packet came for the idle timeout), stores the file and
 * records the outcome, and once a stopped recording has no open track left publishes recording.ready (the stored
 * files) or recording.failed.
 *
 * <p>Nothing lost, nothing twice: an open track holds back the commit of its partition at the offset of its Started
 * event ({@link #heldOffsets()}), so after a crash the whole track is read again; a track already stored is
 * recognised by its row and its packets skipped; a recording is reported once (its row's status), under an event
 * id derived from the recording id, so a report repeated by a crash between publishing and the row update is
 * deduplicated by consumers.
 *
 * <p>Not thread-safe: the consumer thread owns it.
 */
public final class Archiver {

    /** Publishes an event and returns once Kafka acknowledged it. */
    @FunctionalInterface
    public interface ResultPublisher {
        void publish(Event event) throws Exception;
    }

    /** Tunables, from {@code archive:} and {@code kafka:} in the configuration. */
    public record Settings(Path workDir, Duration trackIdleTimeout, Duration completionGrace, int reorderPackets,
                           int maxFrameBytes, int storeAttempts, Duration storeBackoff) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    /** Ids become object keys and file names: no slashes, no dot-dot. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    public static final String METRIC_PREFIX = "tribune.recording_archive.";

    private final ArchiveState state;
    private final ObjectStore store;
    private final ResultPublisher publisher;
    private final Clock clock;
    private final Settings settings;
    /** Renders composed files; null when rendering is off (recording.ready then lists the track files only). */
    private final RenderQueue renderQueue;
    private final Map<String, OpenTrack> tracks = new HashMap<>();
    /** Per partition, the latest SFU arrival time read there: the stream's own clock, microseconds. */
    private final Map<TopicPartition, Long> streamTime = new HashMap<>();
    private Instant nextCompletionCheck = Instant.EPOCH;

    private final Counter packets;
    private final Counter packetsSkipped;
    private final Counter captionsOnly;
    private final Counter unknownPayloadType;
    private final Counter lost;
    private final Counter late;
    private final Counter duplicates;
    private final Counter corrupt;
    private final Counter framesDropped;
    private final Counter tracksStored;
    private final Counter tracksEmpty;
    private final Counter tracksFailed;
    private final Counter tracksTimedOut;
    private final Counter storeRetries;
    private final Counter recordingsReady;
    private final Counter recordingsFailed;

    private static final class OpenTrack {
        final TrackRecorder recorder;
        final TopicPartition partition;
        final long startOffset;
        Instant lastPacket;
        /** The SFU's arrival time of the last packet, microseconds; -1 before the first. */
        long lastArrivalMicros = -1;
        boolean ended;
        int attempts;
        Instant nextAttempt = Instant.EPOCH;

        OpenTrack(TrackRecorder recorder, TopicPartition partition, long startOffset, Instant now) {
            this.recorder = recorder;
            this.partition = partition;
            this.startOffset = startOffset;
            this.lastPacket = now;
        }
    }

    public Archiver(ArchiveState state, ObjectStore store, ResultPublisher publisher, Clock clock, Settings settings,
                    MetricRegistry metrics) {
        this(state, store, publisher, clock, settings, metrics, null);
    }

    public Archiver(ArchiveState state, ObjectStore store, ResultPublisher publisher, Clock clock, Settings settings,
                    MetricRegistry metrics, RenderQueue renderQueue) {
        this.renderQueue = renderQueue;
        this.state = state;
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
        packets = metrics.counter(METRIC_PREFIX + "packets");
        packetsSkipped = metrics.counter(METRIC_PREFIX + "packets_skipped");
        captionsOnly = metrics.counter(METRIC_PREFIX + "captions_events_skipped");
        unknownPayloadType = metrics.counter(METRIC_PREFIX + "packets_unknown_payload_type");
        lost = metrics.counter(METRIC_PREFIX + "packets_lost");
        late = metrics.counter(METRIC_PREFIX + "packets_late");
        duplicates = metrics.counter(METRIC_PREFIX + "packets_duplicate");
        corrupt = metrics.counter(METRIC_PREFIX + "packets_corrupt");
        framesDropped = metrics.counter(METRIC_PREFIX + "frames_dropped");
        tracksStored = metrics.counter(METRIC_PREFIX + "tracks_stored");
        tracksEmpty = metrics.counter(METRIC_PREFIX + "tracks_empty");
        tracksFailed = metrics.counter(METRIC_PREFIX + "tracks_failed");
        tracksTimedOut = metrics.counter(METRIC_PREFIX + "tracks_timed_out");
        storeRetries = metrics.counter(METRIC_PREFIX + "store_retries");
        recordingsReady = metrics.counter(METRIC_PREFIX + "recordings_ready");
        recordingsFailed = metrics.counter(METRIC_PREFIX + "recordings_failed");
        metrics.gauge(METRIC_PREFIX + "open_tracks", () -> (Gauge<Integer>) this::openTracks);
    }

    /**
     * Handles one JSON event read at {@code offset} of {@code partition}. Throws {@link PoisonEventException} for
     * an event that can never be handled, anything else for a failure worth retrying (the database is down).
     */
    public void onEvent(Event event, TopicPartition partition, long offset) throws Exception {
        Instant now = clock.instant();
        Object data = event.data();
        if (data instanceof MediaEvents.AudioTrackStarted a && a.recordingId() == null
                || data instanceof MediaEvents.AudioCaptions) {
            // Live captions (issue 9): a captions-only tap and the in-band captions switch are not for the archive;
            // the track's packets then count as packets_skipped (no open track).
            captionsOnly.inc();
        } else if (data instanceof MediaEvents.AudioTrackStarted a) {
            startTrack(new TrackInfo(a.key(), a.meetingId(), a.trackId(), a.recordingId(), "audio",
                    codec(a.codec(), false), a.clockRate(), a.payloadType(), a.participantId(), a.displayName(),
                    "microphone"), partition, offset, now);
        } else if (data instanceof MediaEvents.VideoTrackStarted v) {
            startTrack(new TrackInfo(v.key(), v.meetingId(), v.trackId(), v.recordingId(), "video",
                    codec(v.codec(), true), v.clockRate(), v.payloadType(), v.participantId(), v.displayName(),
                    v.source()), partition, offset, now);
        } else if (data instanceof MediaEvents.AudioTrackEnded a) {
            endTrack(a.key());
        } else if (data instanceof MediaEvents.VideoTrackEnded v) {
            endTrack(v.key());
        } else if (data instanceof RecordingEvents.Started s) {
            requireSafe("recordingId", s.recordingId());
            state.recordingStarted(s.recordingId(), s.meetingId(), s.startedAt());
        } else if (data instanceof RecordingEvents.Stopped s) {
            requireSafe("recordingId", s.recordingId());
            state.recordingStopped(s.recordingId(), s.meetingId(), s.stoppedAt() == null ? now : s.stoppedAt());
            LOG.info("recording {} stopped; completing it once its tracks are stored", s.recordingId());
        }
        // Anything else (our own results on tribune.recordings, other services' events) is not for us.
    }

    /**
     * Takes one tapped packet, keyed {@code meetingId:trackId}, read from {@code partition}. Packets of no open
     * track are counted and skipped.
     */
    public void onPacket(String key, RtpRecord record, TopicPartition partition) {
        streamTime.merge(partition, record.arrivalMicros(), Math::max);
        OpenTrack track = key == null ? null : tracks.get(key);
        if (track == null || track.ended) {
            packetsSkipped.inc();
            return;
        }
        track.lastPacket = clock.instant();
        track.lastArrivalMicros = record.arrivalMicros();
        packets.inc();
        track.recorder.accept(record);
    }

    /**
     * Time-driven work, called after every poll: closes idle tracks, retries stores that failed, and completes
     * stopped recordings whose tracks are all closed.
     *
     * <p>A track is idle when its partition's stream has moved on by the timeout since its last packet (SFU arrival
     * times, so a consumer that lags behind does not close tracks whose packets are still on their way), or when
     * the consumer has read everything of its partition ({@code caughtUp}) and no packet came for the timeout.
     */
    public void sweep(Set<TopicPartition> caughtUp, Set<TopicPartition> assigned) {
        Instant now = clock.instant();
        long timeoutMicros = settings.trackIdleTimeout().toNanos() / 1000;
        for (OpenTrack track : List.copyOf(tracks.values())) {
            boolean streamMovedOn = track.lastArrivalMicros >= 0
                    && streamTime.getOrDefault(track.partition, 0L) - track.lastArrivalMicros >= timeoutMicros;
            boolean quiet = caughtUp.contains(track.partition)
                    && Duration.between(track.lastPacket, now).compareTo(settings.trackIdleTimeout()) >= 0;
            if (!track.ended && (streamMovedOn || quiet)) {
                LOG.info("track {} of recording {}: no packet for {}, closing it", track.recorder.info().trackId(),
                        track.recorder.info().recordingId(), settings.trackIdleTimeout());
                tracksTimedOut.inc();
                endTrack(track.recorder.info().key());
            } else if (track.ended && !now.isBefore(track.nextAttempt)) {
                store(track);
            }
        }
        if (!now.isBefore(nextCompletionCheck)) {
            nextCompletionCheck = now.plusMillis(500);
            try {
                completeStoppedRecordings(now, caughtUp, assigned);
            } catch (Exception e) {
                LOG.warn("cannot complete recordings yet: {}", e.toString());
            }
        }
    }

    /** Per partition, the lowest offset still needed by an open track (the commit must not pass it). */
    public Map<TopicPartition, Long> heldOffsets() {
        Map<TopicPartition, Long> held = new HashMap<>();
        for (OpenTrack track : tracks.values()) {
            held.merge(track.partition, track.startOffset, Math::min);
        }
        return held;
    }

    /** Abandons the tracks of partitions taken away: their next owner reads them again from the held offset. */
    public void dropPartitions(Collection<TopicPartition> partitions) {
        for (Iterator<OpenTrack> it = tracks.values().iterator(); it.hasNext(); ) {
            OpenTrack track = it.next();
            if (partitions.contains(track.partition)) {
                streamTime.remove(track.partition);
                track.recorder.close();
                deleteQuietly(track.recorder.file());
                it.remove();
            }
        }
    }

    /** Abandons every open track (shutdown): they are read again after the restart. */
    public void abandonAll() {
        for (OpenTrack track : tracks.values()) {
            track.recorder.close();
            deleteQuietly(track.recorder.file());
        }
        tracks.clear();
    }

    public int openTracks() {
        return tracks.size();
    }

    private void startTrack(TrackInfo info, TopicPartition partition, long offset, Instant now) throws Exception {
        if (info.recordingId() == null) {
            return; // tapped for captions only: nothing to archive
        }
        requireSafe("recordingId", info.recordingId());
        requireSafe("trackId", info.trackId());
        if (tracks.containsKey(info.key())) {
            return; // the same Started event delivered twice
        }
        if (info.codec() == null) {
            // A codec the archive cannot store: the track is recorded as failed, its packets skipped.
            if (state.openTrack(info.recordingId(), info.trackId(), info.meetingId(), info.kind(), "unknown",
                    info.participantId(), info.displayName(), info.source())) {
                state.closeTrack(info.recordingId(), info.trackId(), "failed", null, null, 0, null, 0, 0, 0, 0, 0, 0,
                        "codec not supported", null);
                tracksFailed.inc();
            }
            return;
        }
        if (info.clockRate() <= 0 || info.payloadType() < 0 || info.payloadType() > 127) {
            throw new PoisonEventException("track " + info.trackId() + ": clock rate " + info.clockRate()
                    + " or payload type " + info.payloadType() + " invalid");
        }
        if (!state.openTrack(info.recordingId(), info.trackId(), info.meetingId(), info.kind(),
                info.codec().name().toLowerCase(java.util.Locale.ROOT), info.participantId(), info.displayName(),
                info.source())) {
            LOG.debug("track {} of recording {} was closed before; skipping it", info.trackId(), info.recordingId());
            return;
        }
        Path file = settings.workDir().resolve(info.recordingId()).resolve(info.trackId() + "."
                + info.codec().extension());
        deleteQuietly(file); // a leftover of a process killed while writing it
        tracks.put(info.key(), new OpenTrack(new TrackRecorder(info, file, settings.reorderPackets(),
                settings.maxFrameBytes()), partition, offset, now));
        LOG.info("recording track {} ({} {}) of recording {}", info.trackId(), info.kind(), info.codec(),
                info.recordingId());
    }

    private void endTrack(String key) {
        OpenTrack track = tracks.get(key);
        if (track == null || track.ended) {
            return;
        }
        track.ended = true;
        track.recorder.finish();
        TrackRecorder r = track.recorder;
        lost.inc(r.lost());
        late.inc(r.late());
        duplicates.inc(r.duplicates());
        corrupt.inc(r.corruptPackets());
        framesDropped.inc(r.framesDropped());
        unknownPayloadType.inc(r.unknownPayloadType());
        store(track);
    }

    /** Stores a finished track and records its outcome; on failure retries later, at most storeAttempts times. */
    private void store(OpenTrack track) {
        TrackRecorder r = track.recorder;
        TrackInfo info = r.info();
        try {
            switch (r.finish()) {
                case WRITTEN -> {
                    StoredObject object = store.upload(r.file(), info.objectKey(), info.codec().contentType(),
                            new ObjectStore.UploadLog() {
                                @Override
                                public long intended(String bucket, String key) throws Exception {
                                    return state.uploadIntended(bucket, key, info.recordingId(), info.trackId());
                                }

                                @Override
                                public void started(long handle, String uploadId) throws Exception {
                                    state.uploadStarted(handle, uploadId);
                                }

                                @Override
                                public void ended(long handle) throws Exception {
                                    state.uploadEnded(handle);
                                }
                            });
                    close(track, "stored", object, null);
                    tracksStored.inc();
                    LOG.info("stored track {} of recording {}: {} ({} bytes, {} packets, {} lost, {} late, {}"
                                    + " duplicate, {} frames dropped)", info.trackId(), info.recordingId(), object.key(),
                            object.sizeBytes(), r.packets(), r.lost(), r.late(), r.duplicates(), r.framesDropped());
                }
                case EMPTY -> {
                    close(track, "empty", null, "no decodable frame arrived");
                    tracksEmpty.inc();
                }
                case FAILED -> {
                    close(track, "failed", null, "could not write the file: " + r.failure());
                    tracksFailed.inc();
                }
                default -> throw new IllegalStateException();
            }
        } catch (Exception e) {
            track.attempts++;
            if (track.attempts >= settings.storeAttempts()) {
                try {
                    close(track, "failed", null, "could not store after " + track.attempts + " attempts: " + e);
                    tracksFailed.inc();
                    return;
                } catch (Exception again) {
                    LOG.warn("cannot record the failure of track {} either: {}", info.trackId(), again.toString());
                }
            }
            storeRetries.inc();
            long backoff = settings.storeBackoff().toMillis() << Math.min(track.attempts - 1, 5);
            track.nextAttempt = clock.instant().plusMillis(backoff);
            LOG.warn("track {} of recording {}: store attempt {} failed, retrying in {} ms: {}", info.trackId(),
                    info.recordingId(), track.attempts, backoff, e.toString());
        }
    }

    private void close(OpenTrack track, String status, StoredObject object, String reason) throws Exception {
        TrackRecorder r = track.recorder;
        TrackInfo info = r.info();
        if (reason != null) {
            reason = reason.replace('\0', ' '); // PostgreSQL text cannot hold NUL
        }
        state.closeTrack(info.recordingId(), info.trackId(), status, object == null ? null : object.key(),
                object == null ? null : info.codec().contentType(), object == null ? 0 : object.sizeBytes(),
                object == null ? null : object.sha256(), r.durationMillis(), r.packets(), r.lost(), r.late(),
                r.duplicates(), r.framesDropped(), reason, object == null ? null : r.mediaStartMicros());
        tracks.remove(info.key());
        deleteQuietly(r.file());
    }

    /**
     * Completes each stopped recording once the grace has passed, every media partition this instance reads has
     * been read to its end or past the stop time (so the Started events of its tracks have been seen), and none of
     * its tracks is open.
     */
    private void completeStoppedRecordings(Instant now, Set<TopicPartition> caughtUp, Set<TopicPartition> assigned)
            throws Exception {
        for (ArchiveState.RecordingRow recording : state.stoppedRecordings()) {
            Instant stoppedAt = recording.stoppedAt() == null ? Instant.EPOCH : recording.stoppedAt();
            if (Duration.between(stoppedAt, now).compareTo(settings.completionGrace()) < 0) {
                continue;
            }
            long stopMicros = stoppedAt.getEpochSecond() * 1_000_000 + stoppedAt.getNano() / 1000;
            boolean mediaSeen = assigned.stream()
                    .filter(p -> !p.topic().equals(io.tribune.events.Topics.RECORDINGS))
                    .allMatch(p -> caughtUp.contains(p) || streamTime.getOrDefault(p, 0L) >= stopMicros);
            if (!mediaSeen) {
                continue;
            }
            if (tracks.values().stream().anyMatch(t -> t.recorder.info().recordingId()
                    .equals(recording.recordingId()))) {
                continue;
            }
            List<ArchiveState.TrackRow> rows = state.tracks(recording.recordingId());
            if (rows.stream().anyMatch(t -> t.status().equals("open"))) {
                continue; // opened before a restart; its events are being read again
            }
            complete(recording, rows);
        }
    }

    /** The stored track files of a recording, the longest track's duration and their total size. */
    public record TrackFiles(List<RecordingEvents.StoredFile> files, long durationMillis, long sizeBytes,
                             List<String> problems) {
    }

    /**
     * Collects the stored tracks of {@code rows} as recording.ready lists them (each with its start, {@link
     * #mediaStart}), and what went wrong with others.
     */
    public static TrackFiles trackFiles(List<ArchiveState.TrackRow> rows) {
        List<RecordingEvents.StoredFile> files = new ArrayList<>();
        long duration = 0;
        long size = 0;
        List<String> problems = new ArrayList<>();
        for (ArchiveState.TrackRow row : rows) {
            if (row.status().equals("stored")) {
                files.add(new RecordingEvents.StoredFile("track", row.trackId(), row.objectKey(), row.contentType(),
                        row.sizeBytes(), row.sha256(), mediaStart(row)));
                duration = Math.max(duration, row.durationMillis());
                size += row.sizeBytes();
            } else {
                problems.add(row.trackId() + ": " + (row.reason() == null ? row.status() : row.reason()));
            }
        }
        return new TrackFiles(files, duration, size, problems);
    }

    /**
     * When the track's first frame reached the SFU (its arrival clock, microseconds kept): offset 0 of the file, so
     * a consumer places the track on the recording's timeline. Null when the row has none.
     */
    static Instant mediaStart(ArchiveState.TrackRow row) {
        Long micros = row.mediaStartMicros();
        return micros == null ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private void complete(ArchiveState.RecordingRow recording, List<ArchiveState.TrackRow> rows) throws Exception {
        TrackFiles tracks = trackFiles(rows);
        List<RecordingEvents.StoredFile> files = tracks.files();
        List<String> problems = tracks.problems();
        if (!files.isEmpty() && renderQueue != null) {
            // The composed file comes first: the render queue publishes recording.ready once it is stored.
            state.recordingRendering(recording.recordingId());
            renderQueue.poke();
            LOG.info("recording {}: {} track file(s) stored{}; rendering the composed file", recording.recordingId(),
                    files.size(), problems.isEmpty() ? "" : "; " + problems);
            return;
        }
        long duration = tracks.durationMillis();
        long size = tracks.sizeBytes();
        Event event;
        String status;
        if (files.isEmpty()) {
            String reason = rows.isEmpty() ? "no track was recorded" : "no track could be stored: "
                    + String.join("; ", problems);
            event = withStableId(Event.of(new RecordingEvents.Failed(recording.meetingId(),
                    recording.recordingId(), reason), clock.instant()), recording.recordingId());
            status = "failed";
        } else {
            // Rendering is off: the track files only, and no recording-level checksum (it is the composed file's).
            event = withStableId(Event.of(new RecordingEvents.Ready(recording.meetingId(), recording.recordingId(),
                    files, duration, size, null), clock.instant()), recording.recordingId());
            status = "ready";
        }
        publisher.publish(event);
        state.recordingCompleted(recording.recordingId(), status, problems.isEmpty() ? null
                : String.join("; ", problems));
        (status.equals("ready") ? recordingsReady : recordingsFailed).inc();
        LOG.info("recording {} {}: {} file(s), {} ms, {} bytes{}", recording.recordingId(), status, files.size(),
                duration, size, problems.isEmpty() ? "" : "; " + problems);
    }

    /** The same id for every attempt to report one recording, so consumers drop a repeat. */
    public static Event withStableId(Event event, String recordingId) {
        UUID id = UUID.nameUUIDFromBytes((event.type() + ":" + recordingId).getBytes(StandardCharsets.UTF_8));
        return new Event(id, event.type(), event.version(), event.time(), event.data());
    }

    private static TrackCodec codec(String name, boolean video) {
        TrackCodec codec = TrackCodec.fromName(name);
        return codec == null || codec.isVideo() != video ? null : codec;
    }

    private static void requireSafe(String what, String id) {
        if (id == null || !SAFE_ID.matcher(id).matches() || id.contains("..")) {
            throw new PoisonEventException(what + " missing or not a safe identifier: " + id);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
