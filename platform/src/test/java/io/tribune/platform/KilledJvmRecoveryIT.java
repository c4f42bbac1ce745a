package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.platform.internal.StaleProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tribune up` killed with SIGKILL leaves PostgreSQL and Redis running without their JVM. The next start on the same
 * data directory must stop those orphans and find every part's data again.
 */
class KilledJvmRecoveryIT {

    @TempDir
    Path dataDir;

    @Test
    void nextStartStopsOrphansOfKilledJvmAndFindsAllData() throws Exception {
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                KilledJvmMain.class.getName(), dataDir.toString()))
                .redirectErrorStream(true)
                .start();
        try {
            awaitReady(child);
            long redisPid = StaleProcesses.readPid(dataDir.resolve("redis/redis.pid")).orElseThrow();
            long postmasterPid = StaleProcesses.readPid(dataDir.resolve("postgres/postmaster.pid")).orElseThrow();

            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive)).as("orphaned redis-server")
                    .contains(true);
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive)).as("orphaned postmaster")
                    .contains(true);

            try (EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(dataDir).build()) {
                platform.start();

                assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isEmpty();
                assertThat(ProcessHandle.of(postmasterPid).filter(ProcessHandle::isAlive)).isEmpty();
                PlatformUrls urls = platform.urls();
                try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(),
                        urls.dbPassword());
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT name FROM survivors")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("row");
                }
                assertThat(firstRecord(urls.kafkaBootstrap(), "survivors")).isEqualTo("record");
                assertThat(EmbeddedPlatformIT.redisCommand(platform.redis().port(), "EXISTS survivor"))
                        .isEqualTo(":1");
                try (S3Client s3 = S3ComponentIT.client(platform.s3(), urls.s3AccessKey(), urls.s3SecretKey())) {
                    assertThat(s3.getObjectAsBytes(g -> g.bucket("survivors").key("object")).asUtf8String())
                            .isEqualTo("blob");
                }
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void awaitReady(Process child) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.equals(KilledJvmMain.READY)) {
                Thread drain = new Thread(() -> {
                    try {
                        output.transferTo(Writer.nullWriter());
                    } catch (IOException e) {
                        // The child was killed.
                    }
                }, "killed-jvm-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
            seen.append(line).append('\n');
            assertThat(System.nanoTime()).as("child platform ready; output so far:%n%s", seen).isLessThan(deadline);
        }
        throw new AssertionError("child JVM exited before the platform was ready:\n" + seen);
    }

    private static String firstRecord(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "recovery-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    return records.iterator().next().value();
                }
            }
        }
        throw new AssertionError("no record on " + topic + " after 60 s");
    }
}
