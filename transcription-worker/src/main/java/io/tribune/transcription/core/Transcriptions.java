package io.tribune.transcription.core;

import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open audio tracks of one consumer thread, keyed {@code meetingId:trackId} like the media records: a Started
 * event opens a {@link TrackTranscriber}, its packets feed it, its Ended event (or {@code trackIdleTimeout} without
 * packets, or losing its partition) closes it, publishing its last final. Packets of a track never started here
 * (the worker started mid-track) are counted and skipped. Not thread-safe: the consumer thread owns it.
 */
public final class Transcriptions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Transcriptions.class);

    private record Open(TrackTranscriber transcriber, TopicPartition partition) {
    }

    private final SpeechModel model;
    private final CaptionSink sink;
    private final Clock clock;
    private final TranscriberSettings settings;
    private final TranscriptionMetrics metrics;
    private final AtomicInteger openGauge;
    private final Map<String, Open> tracks = new HashMap<>();

    /** @param openGauge shared by the consumer threads: the open tracks of the process */
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
            open(started, partition);
        } else if (event.data() instanceof MediaEvents.AudioTrackEnded ended) {
            close(key(ended.meetingId(), ended.trackId()));
        }
    }

    private void open(MediaEvents.AudioTrackStarted started, TopicPartition partition) throws PoisonEventException {
        if (blank(started.meetingId()) || blank(started.trackId())) {
            throw new PoisonEventException("audio track started without a meeting or track id");
        }
        if (!"opus".equalsIgnoreCase(started.codec())) {
            throw new PoisonEventException("audio codec " + started.codec() + " is not supported (only opus)");
        }
        if (started.clockRate() != 48_000) {
            throw new PoisonEventException("Opus RTP clock rate must be 48000, not " + started.clockRate());
        }
        String key = key(started.meetingId(), started.trackId());
        close(key); // a repeated start (SFU restart): begin again
        if (tracks.size() >= settings.maxOpenTracks()) {
            throw new PoisonEventException("over " + settings.maxOpenTracks() + " open tracks on this consumer");
        }
        tracks.put(key, new Open(new TrackTranscriber(started, model, sink, clock, settings, metrics), partition));
        openGauge.incrementAndGet();
        metrics.tracksOpened.inc();
        LOG.info("transcribing {} ({})", key, started.displayName());
    }

    public void onPacket(String key, RtpRecord packet) {
        metrics.packets.inc();
        Open open = tracks.get(key);
        if (open == null) {
            metrics.orphanPackets.inc();
            return;
        }
        open.transcriber().onPacket(packet);
    }

    /** Closes the tracks that went quiet without an Ended event. */
    public void sweep() {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Open>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Open> entry = it.next();
            if (entry.getValue().transcriber().idle(now)) {
                it.remove();
                LOG.info("closing idle track {}", entry.getKey());
                metrics.tracksIdleClosed.inc();
                closeQuietly(entry.getKey(), entry.getValue());
            }
        }
    }

    /** The partitions went to another consumer: their tracks end here. */
    public void dropPartitions(Collection<TopicPartition> partitions) {
        for (Iterator<Map.Entry<String, Open>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Open> entry = it.next();
            if (partitions.contains(entry.getValue().partition())) {
                it.remove();
                closeQuietly(entry.getKey(), entry.getValue());
            }
        }
    }

    public int openTracks() {
        return tracks.size();
    }

    private void close(String key) {
        Open open = tracks.remove(key);
        if (open != null) {
            closeQuietly(key, open);
        }
    }

    private void closeQuietly(String key, Open open) {
        openGauge.decrementAndGet();
        try {
            open.transcriber().close();
        } catch (RuntimeException e) {
            LOG.warn("closing track {} failed: {}", key, e.toString());
        }
    }

    @Override
    public void close() {
        for (Map.Entry<String, Open> entry : Map.copyOf(tracks).entrySet()) {
            closeQuietly(entry.getKey(), entry.getValue());
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
