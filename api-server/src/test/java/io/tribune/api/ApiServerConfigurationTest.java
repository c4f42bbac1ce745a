package io.tribune.api;

import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code check} command on real files: what an operator sees for a good and for a broken configuration. */
class ApiServerConfigurationTest {

    static final Path EXAMPLE = Path.of("config", "api-server.example.yml");

    @TempDir
    Path dir;

    /** Output of {@code check} run in this JVM through Dropwizard's own command line. */
    record Outcome(boolean ok, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private static Outcome check(Path file) {
        ApiServerApplication application = new ApiServerApplication();
        Bootstrap<ApiServerConfiguration> bootstrap = new Bootstrap<>(application);
        bootstrap.addCommand(new CheckCommand<>(application));
        application.initialize(bootstrap);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new JarLocation(ApiServerApplication.class), bootstrap, out, err);
        Optional<Throwable> failure = cli.run("check", file.toString());
        return new Outcome(failure.isEmpty(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The example file with one line replaced. */
    private Path exampleWith(String original, String replacement) throws IOException {
        String example = Files.readString(EXAMPLE);
        assertThat(example).contains(original);
        Path file = dir.resolve("api-server.yml");
        Files.writeString(file, example.replace(original, replacement));
        return file;
    }

    @Nested
    class WhenTheConfigurationIsValid {

        @Test
        void acceptsTheExampleAsShipped() {
            Outcome outcome = check(EXAMPLE);

            assertThat(outcome.ok()).as(outcome.all()).isTrue();
        }
    }

    @Nested
    class WhenAKeyIsInvalid {

        @Test
        void namesAnEmptyKafkaBootstrapServers() throws IOException {
            Outcome outcome = check(exampleWith(
                    "bootstrapServers: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}", "bootstrapServers: \"\""));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("kafka.bootstrapServers must not be blank");
        }

        @Test
        void namesKafkaBootstrapServersWithoutAPort() throws IOException {
            Outcome outcome = check(exampleWith(
                    "bootstrapServers: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}", "bootstrapServers: kafka-1"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("kafka.bootstrapServers must be a comma-separated list of host:port");
        }

        @Test
        void namesAMalformedRedisUri() throws IOException {
            Outcome outcome = check(exampleWith(
                    "uri: ${REDIS_URI:-redis://127.0.0.1:6379}", "uri: http://127.0.0.1:6379"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("redis.uri must be a redis:// or rediss:// URI");
        }

        @Test
        void namesARedisUriWithoutAPort() throws IOException {
            Outcome outcome = check(exampleWith(
                    "uri: ${REDIS_URI:-redis://127.0.0.1:6379}", "uri: redis://127.0.0.1"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("redis.uri must be");
        }

        @Test
        void namesARelativePublicUrl() throws IOException {
            Outcome outcome = check(exampleWith(
                    "publicUrl: ${TRIBUNE_PUBLIC_URL:-http://127.0.0.1:8080}", "publicUrl: meet.example.org"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("publicUrl must be an absolute http:// or https:// URL");
        }

        @Test
        void namesADeliveryTimeoutShorterThanTheRequestTimeout() throws IOException {
            Outcome outcome = check(exampleWith("deliveryTimeout: 30 seconds", "deliveryTimeout: 5 seconds"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("kafka.deliveryTimeout must be longer than kafka.requestTimeout");
        }

        @Test
        void namesAnOutOfRangeBatchSize() throws IOException {
            Outcome outcome = check(exampleWith("batchSize: 500", "batchSize: 0"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("outbox.batchSize must be greater than or equal to 1");
        }

        @Test
        void namesADurationWithoutAUnit() throws IOException {
            Outcome outcome = check(exampleWith("pollInterval: 250 milliseconds", "pollInterval: 250"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("outbox.pollInterval");
        }

        @Test
        void namesAnUnknownKey() throws IOException {
            Outcome outcome = check(exampleWith("batchSize: 500", "batchSize: 500\n  batchSizes: 5"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.stderr()).contains("batchSizes");
        }

        @Test
        void namesAnEnvironmentVariableThatIsUnsetAndHasNoDefault() throws IOException {
            Outcome outcome = check(exampleWith("clientId: api-server",
                    "clientId: ${TRIBUNE_TEST_SURELY_UNSET_VARIABLE}"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.all()).contains("TRIBUNE_TEST_SURELY_UNSET_VARIABLE");
        }
    }

    @Nested
    class WhenRunAsAProcess {

        @Test
        void exitsNonZeroAndNamesTheKey() throws Exception {
            Path file = exampleWith("uri: ${REDIS_URI:-redis://127.0.0.1:6379}", "uri: not-a-uri");
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(List.of(javaBin.toString(), "-cp",
                    System.getProperty("java.class.path"), ApiServerApplication.class.getName(), "check",
                    file.toString()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output).isNotZero();
            assertThat(output).contains("redis.uri must be a redis:// or rediss:// URI");
        }
    }
}
