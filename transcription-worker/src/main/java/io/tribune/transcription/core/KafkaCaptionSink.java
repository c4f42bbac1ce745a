package io.tribune.transcription.core;

import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import java.time.Clock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes captions to {@code tribune.captions}, keyed by meeting id, without waiting: the idempotent producer
 * (acks=all, retries) delivers finals in order per meeting; a send that still fails is counted and logged.
 * Thread-safe (the Kafka producer is).
 */
public final class KafkaCaptionSink implements CaptionSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCaptionSink.class);

    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final TranscriptionMetrics metrics;

    public KafkaCaptionSink(Producer<String, byte[]> producer, Clock clock, TranscriptionMetrics metrics) {
        this.producer = producer;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void publish(CaptionEvents.Caption caption) {
        Event event = Event.of(caption, clock.instant());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)), (meta, error) -> {
            if (error != null) {
                metrics.publishFailed();
                LOG.warn("caption {} of {} not published: {}", caption.phraseId(), caption.meetingId(),
                        error.toString());
            }
        });
    }
}
