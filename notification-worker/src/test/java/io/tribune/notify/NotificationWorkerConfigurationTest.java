package io.tribune.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} on the example configuration, as shipped and with one key broken. */
class NotificationWorkerConfigurationTest {

    static final Path EXAMPLE = Path.of("config", "notification-worker.example.yml");

    @TempDir
    Path dir;

    private static String check(Path file) {
        NotificationWorkerApplication application = new NotificationWorkerApplication();
        Bootstrap<NotificationWorkerConfiguration> bootstrap = new Bootstrap<>(application);
        bootstrap.addCommand(new CheckCommand<>(application));
        application.initialize(bootstrap);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new JarLocation(NotificationWorkerApplication.class), bootstrap, out, err);
        Optional<Throwable> failure = cli.run("check", file.toString());
        return failure.isEmpty() ? "OK" : out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)
                + failure.get();
    }

    @Test
    void acceptsTheExampleAsShipped() {
        assertThat(check(EXAMPLE)).isEqualTo("OK");
    }

    @Test
    void namesAnInvalidSmtpSecurityAndConsumerGroup() throws IOException {
        String example = Files.readString(EXAMPLE);
        Path broken = dir.resolve("worker.yml");
        Files.writeString(broken, example.replace("security: plain", "security: maybe")
                .replace("group: notification-worker", "group: Not_Valid"));

        assertThat(check(broken)).contains("smtp.security must be plain, starttls or ssl")
                .contains("kafka.group must be lower-case letters");
    }
}
