package io.tribune.transcription.files;

import io.tribune.common.kafka.DeadLetters;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.Topics;
import io.tribune.events.TranscriptionEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code tribune.transcriptions} (its own group, {@code recordings.group}) and transcribes each
 * {@code transcription.requested} with a {@link RecordingTranscriber}.
 *
 * <pre>
 *   poll thread:  poll ─► request ─► submit to the job thread ─► pause all partitions ─► poll (heartbeats only)
 *                 ... until the job is done ─► flush the producer ─► commit the offset ─► resume
 *   job thread:   S3 download ─► FileTranscriber ─► captions, transcript.ready | transcript.failed
 * </pre>
 *
 * <p>A recording can be an hour of audio per track, far past {@code max.poll.interval.ms}: the job runs off the
 * poll thread while the paused consumer keeps polling, so the member stays in the group. The offset is committed
 * after the job's events are flushed; a crash or a rebalance meanwhile redelivers the request, and the same phrase
 * ids come out again (the api-server upserts). Records that are not events go to {@code tribune.dlq.<group>}; other
 * event types are skipped. Threads: one poll thread and one job thread; {@link #start}/{@link #stop} from one.
 */
public final class TranscriptionRequestConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptionRequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final RecordingTranscriber transcriber;
    private final String group;
    private final Clock clock;
    private final FileMetrics metrics;
    private final ExecutorService jobs;
    private final AtomicLong publishFailures = new AtomicLong();
    private volatile boolean running;
    private volatile boolean busy;
    private volatile Thread thread;

    public TranscriptionRequestConsumer(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
                                        RecordingTranscriber transcriber, String group, Clock clock,
                                        FileMetrics metrics) {
        this.consumer = consumer;
        this.producer = producer;
        this.transcriber = transcriber;
        this.group = group;
        this.clock = clock;
        this.metrics = metrics;
        this.jobs = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, group + "-job");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::run, group + "-poll");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops polling, cancels a running job at its next frame (not committed: redelivered later), closes. */
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        jobs.shutdownNow();
        try {
            if (!jobs.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("The transcription job did not stop within {}", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the poll thread is running (health). */
    public boolean isRunning() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /** Whether a request is being transcribed now. */
    public boolean isBusy() {
        return busy;
    }

    private void run() {
        try (consumer) {
            consumer.subscribe(List.of(Topics.TRANSCRIPTIONS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (busy) {
                        consumer.pause(partitions); // one job at a time; they wait for the next poll loop
                    }
                }
            });
            LOG.info("Following transcription requests on {} as {}", Topics.TRANSCRIPTIONS, group);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!running) {
                        break;
                    }
                    if (!handle(record)) {
                        break; // stopped mid-job: not committed
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Transcription requests: the consumer stopped", e);
        } finally {
            running = false;
        }
    }

    /** Handles one record and commits it; false when stopped before it was done. */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        Event event;
        try {
            event = EventCodec.decode(record.value());
        } catch (RuntimeException e) { // EventFormatException, or a payload Jackson cannot even read
            deadLetter(record, "not an event: " + e.getMessage());
            commit(record);
            return true;
        }
        if (!(event.data() instanceof TranscriptionEvents.Requested request)) {
            commit(record); // another type on the topic: not ours
            return true;
        }
        if (request.meetingId() == null || request.recordingId() == null) {
            deadLetter(record, "transcription.requested without a meeting or recording id");
            commit(record);
            return true;
        }
        busy = true;
        try {
            Future<?> job = jobs.submit(() -> transcriber.transcribe(request, this::publish, () -> !running));
            consumer.pause(consumer.assignment());
            while (!job.isDone()) {
                waitForJob(job);
            }
            try {
                job.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CancellationException) {
                    LOG.info("Transcription of recording {} cancelled by the stop; it is redelivered later",
                            request.recordingId());
                    return false;
                }
                // An Error (out of memory, a native library): still one result, so the recording does not stay
                // "transcribing" for ever.
                LOG.error("Transcription of recording {} crashed", request.recordingId(), e.getCause());
                publish(new CaptionEvents.TranscriptFailed(request.meetingId(), request.recordingId(),
                        "the transcription worker failed: " + e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            producer.flush();
            commit(record);
            return true;
        } finally {
            busy = false;
            consumer.resume(consumer.paused());
        }
    }

    /** Polls the paused consumer (heartbeats, rebalances) while the job runs; records it returns are given back. */
    private void waitForJob(Future<?> job) {
        try {
            job.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            // still running
        } catch (ExecutionException | InterruptedException | CancellationException e) {
            return; // handle() reads the outcome
        }
        ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ZERO);
        if (!stray.isEmpty()) {
            // A partition assigned between two pauses: read again after the job.
            Map<TopicPartition, Long> first = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : stray) {
                first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
            }
            first.forEach(consumer::seek);
            consumer.pause(first.keySet());
        }
    }

    private void publish(EventData data) {
        Event event = Event.of(data, clock.instant());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)), (meta, error) -> {
            if (error != null) {
                publishFailures.incrementAndGet();
                LOG.warn("{} of meeting {} not published: {}", event.type(), event.key(), error.toString());
            }
        });
    }

    private void commit(ConsumerRecord<String, byte[]> record) {
        try {
            consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1)));
        } catch (KafkaException e) {
            // The partition moved to another member meanwhile: it transcribes the request again (same phrase ids).
            LOG.warn("Could not commit {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        metrics.requestDeadLettered();
        LOG.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(Topics.deadLetter(group), record.key(),
                record.value());
        letter.headers().add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DeadLetters.CONSUMER, group.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DeadLetters.SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DeadLetters.SOURCE_PARTITION,
                Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        letter.headers().add(DeadLetters.SOURCE_OFFSET,
                Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(letter);
        producer.flush();
    }
}
