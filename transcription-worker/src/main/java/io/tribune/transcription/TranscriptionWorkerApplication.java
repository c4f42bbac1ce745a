package io.tribune.transcription;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.events.Topics;
import io.tribune.transcription.audio.OpusDecoder;
import io.tribune.transcription.cli.FileTranscriber;
import io.tribune.transcription.core.KafkaCaptionSink;
import io.tribune.transcription.core.MediaConsumer;
import io.tribune.transcription.core.SpeechModel;
import io.tribune.transcription.core.TrackLookback;
import io.tribune.transcription.core.TranscriptionMetrics;
import io.tribune.transcription.core.Transcriptions;
import io.tribune.transcription.files.FileMetrics;
import io.tribune.transcription.files.RecordingTranscriber;
import io.tribune.transcription.files.TranscriptionRequestConsumer;
import io.tribune.transcription.health.WorkerHealthChecks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The transcription worker: {@code java -cp ... io.tribune.transcription.TranscriptionWorkerApplication server
 * transcription-worker.yml}.
 *
 * <pre>
 *   tribune.media.audio ─► MediaConsumer × kafka.consumers ─► Transcriptions ─► TrackTranscriber per track
 *                          (group transcription-worker)        (open tracks)     (reorder, Opus, VAD, Vosk)
 *                                                                                  ─► KafkaCaptionSink ─► tribune.captions
 *   tribune.transcriptions ─► TranscriptionRequestConsumer ─► RecordingTranscriber ─► S3 ─► FileTranscriber
 *                             (group transcription-worker-files)  (a job thread)         ─► tribune.captions
 * </pre>
 *
 * <p>All wiring happens in {@link #run}. Managed parts start in registration order (model, producer, consumers) and
 * stop in reverse, so the consumers publish their tracks' last finals before the producer closes.
 */
public class TranscriptionWorkerApplication extends Application<TranscriptionWorkerConfiguration> {

    private final Clock clock;

    // Set by run(); for integration tests.
    private volatile List<MediaConsumer> consumers;
    private volatile TranscriptionMetrics metrics;
    private volatile TranscriptionRequestConsumer requests;
    private volatile FileMetrics fileMetrics;

    public TranscriptionWorkerApplication() {
        this(Clock.systemUTC());
    }

    public TranscriptionWorkerApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new TranscriptionWorkerApplication().run(args);
    }

    @Override
    public String getName() {
        return "transcription-worker";
    }

    @Override
    public void initialize(Bootstrap<TranscriptionWorkerConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(TranscriptionWorkerConfiguration configuration, Environment environment) {
        SpeechModel model = new SpeechModel(Path.of(configuration.getCaptions().getModelPath()));
        environment.lifecycle().manage(model);

        KafkaSection kafka = configuration.getKafka();
        ConsumerSettings settings = new ConsumerSettings(kafka.getBootstrapServers(), kafka.getGroup(),
                List.of(Topics.MEDIA_AUDIO), kafka.getMaxPollRecords(), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofMillis(100), 1);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(settings));
        TranscriptionMetrics metrics = new TranscriptionMetrics(environment.metrics());
        KafkaCaptionSink sink = new KafkaCaptionSink(producer, clock, metrics);
        AtomicInteger openTracks = new AtomicInteger();
        environment.metrics().gauge(TranscriptionMetrics.PREFIX + "open_tracks",
                () -> (Gauge<Integer>) openTracks::get);
        Counter deadLettered = environment.metrics().counter(EventConsumer.metricPrefix(settings.group())
                + "dead_lettered");

        List<MediaConsumer> consumers = new ArrayList<>();
        for (int i = 1; i <= kafka.getConsumers(); i++) {
            Transcriptions transcriptions = new Transcriptions(model, sink, clock,
                    configuration.getCaptions().settings(), metrics, openTracks);
            Properties properties = consumerProperties(settings, kafka, i);
            TrackLookback lookback = kafka.getLookback().toSeconds() == 0 ? null : new TrackLookback(properties,
                    Duration.ofMillis(kafka.getLookback().toMilliseconds()),
                    Duration.ofMillis(kafka.getLookbackTimeout().toMilliseconds()), clock);
            consumers.add(new MediaConsumer(settings, "consumer-" + settings.group() + "-" + i,
                    new KafkaConsumer<>(properties), producer, transcriptions, clock, deadLettered, lookback,
                    Duration.ofMillis(kafka.getNewGroupRewind().toMilliseconds())));
        }
        TranscriptionRequestConsumer requests = configuration.getRecordings().isEnabled()
                ? requestConsumer(configuration, model, environment) : null;
        environment.metrics().gauge(EventConsumer.metricPrefix(settings.group()) + "lag",
                () -> (Gauge<Long>) () -> consumers.stream().mapToLong(MediaConsumer::lag).sum());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                // Loads FFmpeg's natives now rather than when the first track starts. Bad packets are counted
                // (decode_errors), so FFmpeg's own line per bad packet would only flood the log.
                new OpusDecoder().close();
                org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL);
                consumers.forEach(MediaConsumer::start);
                if (requests != null) {
                    requests.start();
                }
            }

            @Override
            public void stop() {
                consumers.forEach(MediaConsumer::stop);
                if (requests != null) {
                    requests.stop();
                }
                producer.close(java.time.Duration.ofSeconds(10));
            }
        });
        WorkerHealthChecks.register(environment, model, settings.group(), consumers);
        this.consumers = List.copyOf(consumers);
        this.metrics = metrics;
        this.requests = requests;
    }

    /**
     * On-demand transcription of stored recordings: {@code tribune.transcriptions} as {@code recordings.group},
     * files from the archive's bucket, the same {@link FileTranscriber} as {@code tribune transcribe}, results on
     * {@code tribune.captions} through a producer of its own (closed with the consumer).
     */
    private TranscriptionRequestConsumer requestConsumer(TranscriptionWorkerConfiguration configuration,
                                                         SpeechModel model, Environment environment) {
        RecordingsSection recordings = configuration.getRecordings();
        ConsumerSettings settings = ConsumerSettings.of(configuration.getKafka().getBootstrapServers(),
                recordings.getGroup(), List.of(Topics.TRANSCRIPTIONS));
        Properties consumerProperties = EventConsumer.consumerProperties(settings);
        consumerProperties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(settings));
        S3Client s3 = recordings.s3Client();
        FileMetrics fileMetrics = new FileMetrics(environment.metrics());
        RecordingTranscriber transcriber = new RecordingTranscriber(s3, recordings.getBucket(),
                recordings.getMaxFileSize().toBytes(), new FileTranscriber(model,
                configuration.getCaptions().settings()), recordings.getLanguage(), fileMetrics);
        TranscriptionRequestConsumer requests = new TranscriptionRequestConsumer(
                new KafkaConsumer<>(consumerProperties), producer, transcriber, recordings.getGroup(), clock,
                fileMetrics);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                // After the consumers' stop (reverse order): the job is over, its events can be flushed.
                producer.close(java.time.Duration.ofSeconds(10));
                s3.close();
            }
        });
        environment.healthChecks().register("transcription-requests", new HealthCheck() {
            @Override
            protected Result check() {
                return requests.isRunning() ? Result.healthy("group " + recordings.getGroup() + ", "
                        + (requests.isBusy() ? "transcribing a recording" : "idle"))
                        : Result.unhealthy("the consumer of " + Topics.TRANSCRIPTIONS + " is not running; see the log");
            }
        });
        this.fileMetrics = fileMetrics;
        return requests;
    }

    /** On-demand transcription's metrics, or null when {@code recordings.enabled} is off (for tests). */
    public FileMetrics fileMetrics() {
        return fileMetrics;
    }

    /** The on-demand consumer, or null when {@code recordings.enabled} is off (for tests). */
    public TranscriptionRequestConsumer requests() {
        return requests;
    }

    /**
     * The kit's consumer; a partition new to the group starts at its end unless {@code newGroupRewind} moves it back
     * (MediaConsumer): old audio makes no live captions.
     */
    static Properties consumerProperties(ConsumerSettings settings, KafkaSection kafka, int index) {
        Properties p = EventConsumer.consumerProperties(settings);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-consumer-" + index);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) kafka.getSessionTimeout().toMilliseconds());
        return p;
    }

    /** The kit's producer (captions and dead letters), sending at once. */
    static Properties producerProperties(ConsumerSettings settings) {
        Properties p = EventConsumer.producerProperties(settings);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.group() + "-producer");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return p;
    }

    public List<MediaConsumer> consumers() {
        if (consumers == null) {
            throw new IllegalStateException("transcription-worker has not run yet");
        }
        return consumers;
    }

    public TranscriptionMetrics metrics() {
        return metrics;
    }
}
