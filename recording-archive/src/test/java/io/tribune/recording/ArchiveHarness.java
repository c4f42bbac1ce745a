package io.tribune.recording;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.events.Event;
import io.tribune.events.EventCodec;
import io.tribune.events.EventData;
import io.tribune.events.RtpRecord;
import io.tribune.events.Topics;
import io.tribune.platform.PlatformExtension;
import io.tribune.platform.PlatformUrls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A recording archive (in this JVM, or as a child JVM that can be killed with SIGKILL) against the shared embedded
 * platform, with a database, a bucket and a consumer group of its own. The topics are shared with earlier tests, so
 * assertions look only at this test's recording ids.
 */
final class ArchiveHarness implements AutoCloseable {

    final PlatformUrls urls;
    final String group;
    final String bucket;
    final String jdbcUrl;
    final S3Client s3;
    private final KafkaProducer<String, byte[]> producer;
    private final List<DropwizardTestSupport<RecordingArchiveConfiguration>> running = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();

    ArchiveHarness() throws Exception {
        urls = PlatformExtension.platform().urls();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        group = "recording-archive-it-" + suffix;
        bucket = "recordings-it-" + suffix;
        String database = "archive_it_" + suffix;
        try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(), urls.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        jdbcUrl = urls.jdbcUrl().substring(0, urls.jdbcUrl().lastIndexOf('/') + 1) + database;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        s3 = S3Client.builder().region(Region.of(urls.s3Region())).forcePathStyle(true)
                .endpointOverride(URI.create(urls.s3Endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(urls.s3AccessKey(),
                        urls.s3SecretKey()))).build();
    }

    /** The settings every instance gets, as {@code key=value}. */
    List<String[]> settings(Path workDir) {
        return List.of(
                new String[] {"database.url", jdbcUrl},
                new String[] {"database.user", urls.dbUser()},
                new String[] {"database.password", urls.dbPassword() == null ? "" : urls.dbPassword()},
                new String[] {"kafka.bootstrapServers", urls.kafkaBootstrap()},
                new String[] {"kafka.group", group},
                new String[] {"deletion.consumerGroup", group + "-deletions"},
                new String[] {"storage.bucket", bucket},
                new String[] {"storage.endpoint", urls.s3Endpoint()},
                new String[] {"storage.region", urls.s3Region()},
                new String[] {"storage.accessKey", urls.s3AccessKey()},
                new String[] {"storage.secretKey", urls.s3SecretKey()},
                new String[] {"archive.workDir", workDir.toString()});
    }

    DropwizardTestSupport<RecordingArchiveConfiguration> startInProcess(Path workDir, String... extraSettings)
            throws Exception {
        List<ConfigOverride> overrides = new ArrayList<>();
        for (String[] setting : settings(workDir)) {
            overrides.add(ConfigOverride.config(setting[0], setting[1]));
        }
        for (String setting : extraSettings) {
            int eq = setting.indexOf('=');
            overrides.add(ConfigOverride.config(setting.substring(0, eq), setting.substring(eq + 1)));
        }
        DropwizardTestSupport<RecordingArchiveConfiguration> archive = new DropwizardTestSupport<>(
                RecordingArchiveApplication.class, ResourceHelpers.resourceFilePath("recording-archive-test.yml"),
                overrides.toArray(ConfigOverride[]::new));
        archive.before();
        running.add(archive);
        return archive;
    }

    /**
     * Starts the archive as a child JVM on this test's class path, its admin port {@code adminPort}, its output in
     * {@code log}; the settings go in as {@code -Ddw.} system properties.
     */
    Process startChild(Path workDir, int adminPort, Path log, String... extraSettings) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        for (String[] setting : settings(workDir)) {
            command.add("-Ddw." + setting[0] + "=" + setting[1]);
        }
        command.add("-Ddw.server.adminConnectors[0].port=" + adminPort);
        for (String setting : extraSettings) {
            command.add("-Ddw." + setting);
        }
        command.add(RecordingArchiveApplication.class.getName());
        command.add("server");
        command.add(ResourceHelpers.resourceFilePath("recording-archive-test.yml"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        children.add(process);
        return process;
    }

    void publish(EventData data) throws Exception {
        Event event = Event.of(data, Instant.now());
        producer.send(new ProducerRecord<>(event.topic(), event.key(), EventCodec.encode(event)))
                .get(30, TimeUnit.SECONDS);
    }

    void publishPackets(String topic, String key, List<RtpRecord> records) throws Exception {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (RtpRecord record : records) {
            sent.add(producer.send(new ProducerRecord<>(topic, key, record.encode())));
        }
        for (java.util.concurrent.Future<?> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    void publishRaw(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** Every record of {@code topic} so far that matches. */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic,
                                                        Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 30 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (filter.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** The results published for {@code recordingId} (ready or failed) so far. */
    List<Event> results(String recordingId) {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAll(urls.kafkaBootstrap(), Topics.RECORDINGS, r -> true)) {
            if (io.tribune.events.RtpRecord.isRtpRecord(record.value())) {
                continue;
            }
            Event event;
            try {
                event = EventCodec.decode(record.value());
            } catch (RuntimeException e) {
                continue;
            }
            if (event.data() instanceof io.tribune.events.RecordingEvents.Ready ready
                    && ready.recordingId().equals(recordingId)
                    || event.data() instanceof io.tribune.events.RecordingEvents.Failed failed
                    && failed.recordingId().equals(recordingId)) {
                events.add(event);
            }
        }
        return events;
    }

    /** Waits for the first result of {@code recordingId}. */
    Event awaitResult(String recordingId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Event> events = results(recordingId);
            if (!events.isEmpty()) {
                return events.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no recording.ready/failed for " + recordingId + " within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    /** Downloads an object of this harness's bucket into {@code dir}. */
    Path download(String key, Path dir) throws Exception {
        Path file = dir.resolve(key.replace('/', '_'));
        Files.deleteIfExists(file);
        s3.getObject(b -> b.bucket(bucket).key(key), file);
        return file;
    }

    @Override
    public void close() {
        for (DropwizardTestSupport<RecordingArchiveConfiguration> archive : List.copyOf(running)) {
            archive.after();
        }
        for (Process child : children) {
            child.destroyForcibly();
        }
        producer.close(Duration.ofSeconds(5));
        s3.close();
    }
}
