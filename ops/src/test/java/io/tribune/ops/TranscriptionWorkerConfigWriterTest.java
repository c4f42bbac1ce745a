package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `tribune up` finds the transcription-worker's Vosk model, and its admin port. */
class TranscriptionWorkerConfigWriterTest {

    @TempDir
    Path dir;

    @Test
    void usesTheModelTheBuildUnpackedInThisCheckout() {
        // Tests run in ops/: the model is found from the repository root one level up.
        Path model = TranscriptionWorkerConfigWriter.modelPath(Map.of());
        assertThat(model).isAbsolute().endsWith(Path.of(TranscriptionWorkerConfigWriter.BUILT_MODEL));
        assertThat(model.resolve("conf/model.conf")).isRegularFile();
    }

    @Test
    void takesAnotherModelFromTheEnvironmentButOnlyAVoskModelDirectory() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        assertThatThrownBy(() -> TranscriptionWorkerConfigWriter.modelPath(Map.of("TRIBUNE_VOSK_MODEL",
                dir.toString()))).isInstanceOf(CliException.class).hasMessageContaining("not a Vosk model");
        Files.writeString(dir.resolve("conf/model.conf"), "--sample-frequency=16000\n");
        assertThat(TranscriptionWorkerConfigWriter.modelPath(Map.of("TRIBUNE_VOSK_MODEL", dir.toString())))
                .isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void itsAdminPortDefaultsTo8095AndFollowsTheEnvironment() {
        assertThat(Settings.load(null, Map.of()).ports().transcriptionAdmin()).isEqualTo(8095);
        assertThat(Settings.load(null, Map.of("TRIBUNE_TRANSCRIPTION_ADMIN_PORT", "9095")).ports()
                .transcriptionAdmin()).isEqualTo(9095);
    }
}
