package io.tribune.recording;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.events.EventCodec;
import io.tribune.events.Topics;
import io.tribune.recording.core.Archiver;
import io.tribune.recording.deletion.DeletionConsumer;
import io.tribune.recording.core.MediaConsumer;
import io.tribune.recording.core.RenderQueue;
import io.tribune.recording.db.ArchiveMigrations;
import io.tribune.recording.db.ArchiveState;
import io.tribune.recording.health.ArchiveHealthChecks;
import io.tribune.recording.render.Compositor;
import io.tribune.recording.storage.ObjectStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The recording archive: {@code java -cp ... io.tribune.recording.RecordingArchiveApplication server archive.yml}.
 *
 * <pre>
 *   tribune.media.audio ─┐                                  ┌─► TrackRecorder per track: ReorderBuffer ─►
 *   tribune.media.video ─┼─► MediaConsumer ─► Archiver ─────┤   VP8/H.264/Opus depacketizer ─► TrackFileWriter (FFmpeg)
 *   tribune.recordings ──┘   (commit held    (working state └─► ObjectStore (S3 multipart, SHA-256)
 *                             at open tracks)  in PostgreSQL)   ─► recording.ready / .failed on tribune.recordings
 * </pre>
 *
 * <p>All wiring happens in {@link #run}. Managed parts start in registration order (pool, migrations, stale upload
 * cleanup, consumer) and stop in reverse, so the consumer stops reading before the pool closes.
 */
public class RecordingArchiveApplication extends Application<RecordingArchiveConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingArchiveApplication.class);

    private final Clock clock;

    // Set by run(); for integration tests.
    private volatile MediaConsumer consumer;
    private volatile ArchiveState state;
    private volatile RenderQueue renderQueue;

    public RecordingArchiveApplication() {
        this(Clock.systemUTC());
    }

    public RecordingArchiveApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new RecordingArchiveApplication().run(args);
    }

    @Override
    public String getName() {
        return "recording-archive";
    }

    @Override
    public void initialize(Bootstrap<RecordingArchiveConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    }

    @Override
    public void run(RecordingArchiveConfiguration configuration, Environment environment) {
        ManagedDataSource dataSource = configuration.getDatabase().build(environment.metrics(), "postgresql");
        environment.lifecycle().manage(dataSource);
        environment.lifecycle().manage(new ArchiveMigrations(dataSource, configuration.isMigrateOnStart()));
        ArchiveState state = new ArchiveState(dataSource);

        StorageConfiguration storage = configuration.getStorage();
        S3Client s3 = s3Client(storage);
        ObjectStore store = new ObjectStore(s3, storage.getBucket(), storage.getPartSize().toBytes());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() throws Exception {
                if (storage.isCreateBucket()) {
                    store.ensureBucket();
                }
                abortStaleUploads(state, store);
            }

            @Override
            public void stop() {
                s3.close();
            }
        });

        KafkaSection kafka = configuration.getKafka();
        ConsumerSettings settings = new ConsumerSettings(kafka.getBootstrapServers(), kafka.getGroup(),
                List.of(Topics.MEDIA_AUDIO, Topics.MEDIA_VIDEO, Topics.RECORDINGS), kafka.getMaxPollRecords(),
                kafka.getMaxAttempts(), Duration.ofMillis(kafka.getRetryBackoff().toMilliseconds()),
                Duration.ofMillis(kafka.getMaxRetryBackoff().toMilliseconds()), Duration.ofMillis(500), 1);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(settings));
        ArchiveConfiguration archive = configuration.getArchive();
        Archiver.ResultPublisher publisher = event -> producer.send(new ProducerRecord<>(event.topic(),
                event.key(), EventCodec.encode(event))).get(30, TimeUnit.SECONDS);
        RenderConfiguration render = configuration.getRender();
        RenderQueue renderQueue = render.isEnabled() ? new RenderQueue(state, store, publisher,
                new Compositor(render.compositorSettings()), clock, new RenderQueue.Settings(render.getConcurrency(),
                render.getMaxAttempts(), Duration.ofMillis(render.getRetryBackoff().toMilliseconds()),
                Duration.ofMillis(render.getClaimTimeout().toMilliseconds()), archive.workPath(), renderOwner()),
                environment.metrics()) : null;
        Archiver archiver = new Archiver(state, store, publisher, clock,
                new Archiver.Settings(archive.workPath(),
                        Duration.ofMillis(archive.getTrackIdleTimeout().toMilliseconds()),
                        Duration.ofMillis(archive.getCompletionGrace().toMilliseconds()), archive.getReorderPackets(),
                        (int) Math.min(Integer.MAX_VALUE, archive.getMaxFrameSize().toBytes()),
                        kafka.getMaxAttempts(), Duration.ofMillis(kafka.getRetryBackoff().toMilliseconds())),
                environment.metrics(), renderQueue);
        MediaConsumer consumer = new MediaConsumer(settings, new KafkaConsumer<>(consumerProperties(settings,
                kafka.getSessionTimeout())),
                producer, archiver, clock, environment.metrics());
        // Registered last: stopped first, before the producer, the pool and the S3 client close.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                consumer.start();
                if (renderQueue != null) {
                    renderQueue.start();
                }
            }

            @Override
            public void stop() {
                consumer.stop();
                if (renderQueue != null) {
                    renderQueue.close();
                }
                producer.close(Duration.ofSeconds(10));
            }
        });

        // recording.deleted -> the recording's objects deleted (and the CDN's copy), in a consumer group of its own.
        DeletionConfiguration deletion = configuration.getDeletion();
        if (deletion.isEnabled()) {
            environment.lifecycle().manage(new DeletionConsumer(kafka.getBootstrapServers(),
                    deletion.getConsumerGroup(), s3, storage.getBucket(), deletion.getCloudFrontDistributionId(),
                    environment.metrics()));
        }

        ArchiveHealthChecks.register(environment, dataSource, consumer, store);
        this.consumer = consumer;
        this.state = state;
        this.renderQueue = renderQueue;
    }

    /** Names this process in render claims: host and process id. */
    private static String renderOwner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + java.util.UUID.randomUUID().toString()
                .substring(0, 8);
    }

    /** The render queue, null when rendering is off (for integration tests). */
    public RenderQueue renderQueue() {
        return renderQueue;
    }

    /**
     * Aborts the multipart uploads a killed process left behind: the one its row names, and any other unfinished
     * upload of the same key (the process may have died after S3 created the upload and before the id was saved).
     */
    static void abortStaleUploads(ArchiveState state, ObjectStore store) throws Exception {
        for (ArchiveState.UploadRow upload : state.uploads()) {
            try {
                if (upload.uploadId() != null) {
                    store.abort(upload.objectKey(), upload.uploadId());
                }
                int others = store.abortAll(upload.objectKey());
                LOG.info("aborted stale multipart upload(s) of {} ({} found by listing)", upload.objectKey(), others);
            } catch (RuntimeException e) {
                LOG.warn("could not abort stale uploads of {}: {}", upload.objectKey(), e.toString());
                continue;
            }
            state.uploadEnded(upload.id());
        }
    }

    /** The common kit's consumer, with the group's session timeout. */
    static Properties consumerProperties(ConsumerSettings settings, io.dropwizard.util.Duration sessionTimeout) {
        Properties p = EventConsumer.consumerProperties(settings);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMilliseconds());
        return p;
    }

    /** The common kit's producer: dead letters and recording.ready/failed. */
    static Properties producerProperties(ConsumerSettings settings) {
        Properties p = EventConsumer.producerProperties(settings);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.group() + "-producer");
        return p;
    }

    private static S3Client s3Client(StorageConfiguration storage) {
        S3ClientBuilder builder = S3Client.builder().region(Region.of(storage.getRegion()))
                .forcePathStyle(storage.isPathStyle());
        if (!storage.getEndpoint().isEmpty()) {
            builder.endpointOverride(URI.create(storage.getEndpoint()));
        }
        if (!storage.getAccessKey().isEmpty()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    storage.getAccessKey(), storage.getSecretKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    public MediaConsumer consumer() {
        return requireRunning(consumer);
    }

    public ArchiveState state() {
        return requireRunning(state);
    }

    private static <T> T requireRunning(T part) {
        if (part == null) {
            throw new IllegalStateException("recording-archive has not run yet");
        }
        return part;
    }
}
