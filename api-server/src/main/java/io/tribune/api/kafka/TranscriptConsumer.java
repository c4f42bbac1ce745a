package io.tribune.api.kafka;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.core.RecordingTranscriptions;
import io.tribune.api.core.Transcripts;
import io.tribune.api.db.DatabaseMigrator;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.common.kafka.ProcessedEvents;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.MeetingEvents;
import io.tribune.events.Topics;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps meeting transcripts: reads {@code tribune.captions} (and {@code tribune.meetings} for the end of a meeting)
 * as the consumer group {@code transcripts.consumerGroup} (default {@code api-server-transcripts}) with common's
 * consumer kit. Every final {@code caption} is stored by meeting and phrase id (an upsert, so replays and
 * duplicates leave one row; no processed-events mark is needed); partials are skipped. A caption that cannot be stored (no meeting
 * id or phrase id, no text, no times, an end before its start, text over {@link Transcripts#MAX_TEXT}, or a meeting
 * the api-server does not know) goes to {@code tribune.dlq.<group>} with the reason and consumption goes on.
 * {@code meeting.ended} stores the meeting's summary; {@code transcript.ready} and {@code transcript.failed} of a
 * recording set its {@code transcript_status} (RecordingTranscriptions). The offset is committed
 * after the row is written (the kit's contract); the kit's gauge {@code tribune.consumer.<group>.lag} shows the lag.
 *
 * <p>Starts once the migrations are done. Thread-safe.
 */
public final class TranscriptConsumer implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptConsumer.class);

    private final ConsumerSettings settings;
    private final Transcripts transcripts;
    private final MetricRegistry metrics;
    private final AfterMigrations starting;
    private volatile RecordingTranscriptions recordingTranscriptions;

    public TranscriptConsumer(String bootstrapServers, String group, Transcripts transcripts,
                              DatabaseMigrator migrator, MetricRegistry metrics) {
        this.settings = ConsumerSettings.of(bootstrapServers, group, List.of(Topics.CAPTIONS, Topics.MEETINGS))
                .withRetries(5, Duration.ofMillis(500), Duration.ofSeconds(10));
        this.transcripts = transcripts;
        this.starting = new AfterMigrations("captions", migrator, this::create);
        this.metrics = metrics;
    }

    @Override
    public void start() {
        starting.start();
    }

    private EventConsumer create() {
        EventConsumer consumer = EventConsumer.create(settings, this::handle, ProcessedEvents.NONE, metrics);
        LOG.info("Following captions on {} as {}", Topics.CAPTIONS, settings.group());
        return consumer;
    }

    void handle(Event event) {
        if (event.data() instanceof CaptionEvents.Caption caption) {
            if (!caption.isFinal()) {
                return; // a partial: its final replaces it, and only finals are kept
            }
            String problem = problem(caption);
            if (problem != null) {
                throw new PoisonEventException("caption " + caption.phraseId() + ": " + problem);
            }
            if (!transcripts.store(caption)) {
                throw new PoisonEventException("caption " + caption.phraseId() + ": no meeting "
                        + caption.meetingId());
            }
        } else if (event.data() instanceof MeetingEvents.Ended ended) {
            transcripts.summarizeEnded(ended.meetingId()).ifPresent(summary -> LOG.info(
                    "Stored the summary of meeting {}: {} key points, {} action items, {} decisions",
                    ended.meetingId(), summary.keyPoints().size(), summary.actionItems().size(),
                    summary.decisions().size()));
        } else if (event.data() instanceof CaptionEvents.TranscriptReady ready) {
            LOG.info("transcription-worker finished the transcript of meeting {} recording {} ({} segments, {})",
                    ready.meetingId(), ready.recordingId(), ready.segments(), ready.language());
            RecordingTranscriptions onDemand = recordingTranscriptions;
            if (onDemand != null) {
                onDemand.applyReady(ready);
            }
        } else if (event.data() instanceof CaptionEvents.TranscriptFailed failed) {
            LOG.warn("transcription-worker failed to transcribe recording {} of meeting {}: {}",
                    failed.recordingId(), failed.meetingId(), failed.reason());
            RecordingTranscriptions onDemand = recordingTranscriptions;
            if (onDemand != null) {
                onDemand.applyFailed(failed);
            }
        }
    }

    /**
     * Also applies {@code transcript.ready} / {@code transcript.failed} of on-demand transcriptions to the
     * recordings' {@code transcript_status}. Call before {@link #start()}.
     */
    public TranscriptConsumer withRecordingTranscriptions(RecordingTranscriptions transcriptions) {
        this.recordingTranscriptions = transcriptions;
        return this;
    }

    /** Why a final caption cannot be stored, or null when it can. */
    static String problem(CaptionEvents.Caption caption) {
        if (blank(caption.meetingId())) {
            return "no meeting id";
        }
        if (blank(caption.phraseId()) || caption.phraseId().length() > 200) {
            return "no phrase id (or one over 200 characters)";
        }
        if (blank(caption.text())) {
            return "no text";
        }
        if (caption.text().length() > Transcripts.MAX_TEXT) {
            return "text over " + Transcripts.MAX_TEXT + " characters";
        }
        if (caption.start() == null || caption.end() == null) {
            return "no start or end time";
        }
        if (caption.end().isBefore(caption.start())) {
            return "ends before it starts";
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The running consumer, or null before the migrations finished (for health and tests). */
    public EventConsumer consumer() {
        return starting.consumer();
    }

    @Override
    public void stop() {
        starting.stop();
    }
}
