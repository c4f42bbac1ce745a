package io.tribune.recording;

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

/** {@code check} on the example configuration, as shipped and with keys broken. */
class RecordingArchiveConfigurationTest {

    static final Path EXAMPLE = Path.of("config", "recording-archive.example.yml");

    @TempDir
    Path dir;

    private static String check(Path file) {
        RecordingArchiveApplication application = new RecordingArchiveApplication();
        Bootstrap<RecordingArchiveConfiguration> bootstrap = new Bootstrap<>(application);
        bootstrap.addCommand(new CheckCommand<>(application));
        application.initialize(bootstrap);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new JarLocation(RecordingArchiveApplication.class), bootstrap, out, err);
        Optional<Throwable> failure = cli.run("check", file.toString());
        return failure.isEmpty() ? "OK" : out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)
                + failure.get();
    }

    @Test
    void acceptsTheExampleAsShipped() {
        assertThat(check(EXAMPLE)).isEqualTo("OK");
    }

    @Test
    void namesATooSmallPartSizeAndAnInvalidConsumerGroup() throws IOException {
        String example = Files.readString(EXAMPLE);
        Path broken = dir.resolve("archive.yml");
        Files.writeString(broken, example.replace("partSize: 8 MiB", "partSize: 1 MiB")
                .replace("group: recording-archive", "group: Not_Valid"));

        assertThat(check(broken)).contains("storage.partSize").contains("kafka.group must be lower-case letters");
    }

    @Test
    void refusesAnEncoderFfmpegDoesNotHave() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new io.tribune.recording.render.Compositor(
                new io.tribune.recording.render.Compositor.Settings(1280, 720, 25, "no_such_encoder", 2_000_000, 50,
                        java.util.Map.of(), 128_000, 48_000, 2, 0, 2_000, 5_000, 160, 90, 10,
                        io.tribune.recording.render.SpeakerTimeline.Settings.DEFAULT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_encoder");
    }
}
