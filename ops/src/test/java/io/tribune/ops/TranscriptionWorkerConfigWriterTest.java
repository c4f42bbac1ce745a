package io.tribune.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tribune.platform.PlatformUrls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `tribune up` finds the transcription-worker's Vosk model, its recordings bucket, and its admin port. */
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
    void readsRecordingsFromTheArchivesBucketOnTheEmbeddedS3() throws Exception {
        Settings settings = Settings.load(null, Map.of("TRIBUNE_DATA_DIR", dir.toString()));
        PlatformUrls urls = new PlatformUrls("jdbc:postgresql://127.0.0.1:1/t", "u", "p", "127.0.0.1:2",
                "redis://127.0.0.1:16379", "http://127.0.0.1:3", "a", "s", "us-east-1");

        JsonNode recordings = new ObjectMapper(new YAMLFactory()).readTree(
                TranscriptionWorkerConfigWriter.write(settings, urls, Map.of()).toFile()).path("recordings");

        assertThat(recordings.path("group").asText()).isEqualTo("transcription-worker-files");
        assertThat(recordings.path("bucket").asText()).isEqualTo(RecordingArchiveConfigWriter.BUCKET);
        assertThat(recordings.path("endpoint").asText()).isEqualTo("http://127.0.0.1:3");
        assertThat(recordings.path("region").asText()).isEqualTo("us-east-1");
        assertThat(recordings.path("accessKey").asText()).isEqualTo("a");
        assertThat(recordings.path("secretKey").asText()).isEqualTo("s");
        assertThat(recordings.path("pathStyle").asBoolean()).isTrue();
    }

    @Test
    void itsAdminPortDefaultsTo8095AndFollowsTheEnvironment() {
        assertThat(Settings.load(null, Map.of()).ports().transcriptionAdmin()).isEqualTo(8095);
        assertThat(Settings.load(null, Map.of("TRIBUNE_TRANSCRIPTION_ADMIN_PORT", "9095")).ports()
                .transcriptionAdmin()).isEqualTo(9095);
    }
}
