package io.tribune.ops;

import io.tribune.platform.PlatformUrls;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the recording-archive's configuration for one {@code tribune up}: the platform's PostgreSQL (the archive's
 * own schema), Kafka and S3 (the bucket created on first start), a work directory in the data directory, JSON logs.
 * Every key is explained in {@code recording-archive/config/recording-archive.example.yml}.
 */
final class RecordingArchiveConfigWriter {

    /** Where the archive stores recordings; the api-server's playback reads the same bucket. */
    static final String BUCKET = "tribune-recordings";

    private RecordingArchiveConfigWriter() {
    }

    static Path write(Settings settings, PlatformUrls urls) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", ServiceConfigFiles.adminOnlyServer(settings.ports().archiveAdmin()));
        root.put("database", ServiceConfigFiles.database(urls, 8));
        root.put("migrateOnStart", true);
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap(), "group", "recording-archive"));

        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("bucket", BUCKET);
        storage.put("endpoint", urls.s3Endpoint());
        storage.put("region", urls.s3Region());
        storage.put("accessKey", urls.s3AccessKey());
        storage.put("secretKey", urls.s3SecretKey());
        storage.put("pathStyle", true);
        storage.put("createBucket", true);
        root.put("storage", storage);
        root.put("archive", Map.of("workDir", settings.dataDir().resolve("recording-archive").toString()));
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());

        return ServiceConfigFiles.write(settings, "recording-archive.yml", root);
    }
}
