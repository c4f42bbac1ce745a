package io.tribune.ops;

import io.tribune.platform.PlatformUrls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the transcription-worker's configuration for one {@code tribune up}: the platform's Kafka, the Vosk model
 * the build unpacked, the recordings bucket (as recording-archive's, for on-demand transcription), JSON logs. Every
 * key is explained in {@code transcription-worker/config/transcription-worker.example.yml}.
 */
public final class TranscriptionWorkerConfigWriter {

    /** Where the build (transcription-worker's generate-resources) unpacks the default model, from the repository. */
    static final String BUILT_MODEL = "transcription-worker/target/vosk-model/assets/model-en-us";

    private TranscriptionWorkerConfigWriter() {
    }

    static Path write(Settings settings, PlatformUrls urls, Map<String, String> env) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", ServiceConfigFiles.adminOnlyServer(settings.ports().transcriptionAdmin()));
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap(), "group", "transcription-worker"));
        root.put("captions", Map.of("modelPath", modelPath(env).toString()));
        // On-demand transcription reads the recordings' audio files where recording-archive stores them.
        Map<String, Object> recordings = new LinkedHashMap<>();
        recordings.put("group", "transcription-worker-files");
        recordings.put("bucket", RecordingArchiveConfigWriter.BUCKET);
        recordings.put("endpoint", urls.s3Endpoint());
        recordings.put("region", urls.s3Region());
        recordings.put("accessKey", urls.s3AccessKey());
        recordings.put("secretKey", urls.s3SecretKey());
        recordings.put("pathStyle", true);
        root.put("recordings", recordings);
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());
        return ServiceConfigFiles.write(settings, "transcription-worker.yml", root);
    }

    /**
     * {@code $TRIBUNE_VOSK_MODEL} (another language), else the model the build unpacked in this checkout (from the
     * repository root, where {@code ops/tribune} runs, or from a module directory, where tests run). Also the model of
     * {@code bench captions}' in-process part.
     */
    public static Path modelPath(Map<String, String> env) {
        String configured = env.get("TRIBUNE_VOSK_MODEL");
        if (configured != null && !configured.isBlank()) {
            return requireModel(Path.of(configured).toAbsolutePath().normalize(), "TRIBUNE_VOSK_MODEL");
        }
        for (Path candidate : List.of(Path.of(BUILT_MODEL), Path.of("..").resolve(BUILT_MODEL))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new CliException("no Vosk model at " + BUILT_MODEL + ": build the project (ops/tribune builds it, or "
                + "./mvnw -pl transcription-worker -am package -DskipTests), or set TRIBUNE_VOSK_MODEL to a model "
                + "directory");
    }

    private static Path requireModel(Path dir, String name) {
        if (!Files.isRegularFile(dir.resolve("conf").resolve("model.conf"))) {
            throw new CliException(name + "=" + dir + " is not a Vosk model directory (no conf/model.conf)");
        }
        return dir;
    }
}
