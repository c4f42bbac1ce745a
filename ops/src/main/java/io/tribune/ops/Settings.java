package io.tribune.ops;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code tribune up} starts and where: the data directory, the ports of everything it starts, and external
 * parts that replace embedded ones. Read from a YAML file ({@code --config FILE}, {@code $TRIBUNE_CONFIG}, or
 * {@code ./tribune.yml} when present; see {@code ops/tribune.example.yml}), then environment variables override it.
 * Immutable.
 */
record Settings(Path dataDir, Ports ports, External external, Path configFile) {

    /**
     * Ports of what runs embedded; 0 in an environment variable picks a free one. {@code sfu}, {@code sfuAdmin} and
     * {@code media} are the SFU node's signaling, admin and UDP media ports; {@code smtp} and {@code mailbox} the dev
     * SMTP server and its web page, {@code notifyAdmin} the notification worker's admin port; {@code hls},
     * {@code hlsAdmin} and {@code hlsIngest} the HLS origin, its admin port and the transcoders' ingest port,
     * {@code transcoderAdmin} the transcoder's admin port and {@code srt} the demo town hall's SRT (UDP) port;
     * {@code stageRtp} the first of the UDP ports (64 per town hall, even) the transcoder takes SFU stages on;
     * {@code archiveAdmin} the recording-archive's admin port; {@code transcriptionAdmin} the transcription-worker's.
     */
    record Ports(int api, int admin, int postgres, int kafka, int redis, int s3, int sfu, int sfuAdmin, int media,
                 int smtp, int mailbox, int notifyAdmin, int hls, int hlsAdmin, int hlsIngest, int transcoderAdmin,
                 int srt, int stageRtp, int archiveAdmin, int transcriptionAdmin) {
        static Ports defaults() {
            return new Ports(8080, 8081, 15432, 19092, 16379, 19000, 7880, 7881, 10000, 11025, 18025, 8083,
                    8090, 8091, 9935, 8093, 9000, 20000, 8084, 8095);
        }
    }

    /** External parts; a non-null one means the embedded counterpart does not start. */
    record External(Postgres postgres, Kafka kafka, Redis redis, S3 s3) {
        static External none() {
            return new External(null, null, null, null);
        }
    }

    record Postgres(String url, String user, String password) {
    }

    record Kafka(String bootstrapServers) {
    }

    record Redis(String uri) {
    }

    record S3(String endpoint, String accessKey, String secretKey, String region) {
    }

    /** The YAML file's shape; every key optional. */
    record FileShape(String dataDir, Ports ports, External external) {
    }

    static Settings load(Path explicitConfig, Map<String, String> env) {
        Path configFile = explicitConfig;
        if (configFile == null && env.get("TRIBUNE_CONFIG") != null) {
            configFile = Path.of(env.get("TRIBUNE_CONFIG"));
        }
        if (configFile == null && Files.isRegularFile(Path.of("tribune.yml"))) {
            configFile = Path.of("tribune.yml");
        }
        FileShape file = new FileShape(null, null, null);
        if (configFile != null) {
            file = readFile(configFile);
        }
        Ports filePorts = file.ports() == null ? Ports.defaults() : mergePorts(file.ports());
        Ports ports = new Ports(
                port(env, "TRIBUNE_API_PORT", filePorts.api()),
                port(env, "TRIBUNE_ADMIN_PORT", filePorts.admin()),
                port(env, "TRIBUNE_POSTGRES_PORT", filePorts.postgres()),
                port(env, "TRIBUNE_KAFKA_PORT", filePorts.kafka()),
                port(env, "TRIBUNE_REDIS_PORT", filePorts.redis()),
                port(env, "TRIBUNE_S3_PORT", filePorts.s3()),
                port(env, "TRIBUNE_SFU_PORT", filePorts.sfu()),
                port(env, "TRIBUNE_SFU_ADMIN_PORT", filePorts.sfuAdmin()),
                port(env, "TRIBUNE_MEDIA_PORT", filePorts.media()),
                port(env, "TRIBUNE_SMTP_PORT", filePorts.smtp()),
                port(env, "TRIBUNE_MAILBOX_PORT", filePorts.mailbox()),
                port(env, "TRIBUNE_NOTIFY_ADMIN_PORT", filePorts.notifyAdmin()),
                port(env, "TRIBUNE_HLS_PORT", filePorts.hls()),
                port(env, "TRIBUNE_HLS_ADMIN_PORT", filePorts.hlsAdmin()),
                port(env, "TRIBUNE_HLS_INGEST_PORT", filePorts.hlsIngest()),
                port(env, "TRIBUNE_TRANSCODER_ADMIN_PORT", filePorts.transcoderAdmin()),
                port(env, "TRIBUNE_SRT_PORT", filePorts.srt()),
                port(env, "TRIBUNE_STAGE_RTP_PORT", filePorts.stageRtp()),
                port(env, "TRIBUNE_ARCHIVE_ADMIN_PORT", filePorts.archiveAdmin()),
                port(env, "TRIBUNE_TRANSCRIPTION_ADMIN_PORT", filePorts.transcriptionAdmin()));
        External fileExternal = file.external() == null ? External.none() : file.external();
        External external = new External(
                env.get("TRIBUNE_DATABASE_URL") != null
                        ? new Postgres(env.get("TRIBUNE_DATABASE_URL"), env.getOrDefault("TRIBUNE_DATABASE_USER",
                        "tribune"), env.getOrDefault("TRIBUNE_DATABASE_PASSWORD", ""))
                        : fileExternal.postgres(),
                env.get("TRIBUNE_KAFKA_BOOTSTRAP") != null
                        ? new Kafka(env.get("TRIBUNE_KAFKA_BOOTSTRAP")) : fileExternal.kafka(),
                env.get("TRIBUNE_REDIS_URI") != null ? new Redis(env.get("TRIBUNE_REDIS_URI")) : fileExternal.redis(),
                env.get("TRIBUNE_S3_ENDPOINT") != null
                        ? new S3(env.get("TRIBUNE_S3_ENDPOINT"), env.get("TRIBUNE_S3_ACCESS_KEY"),
                        env.get("TRIBUNE_S3_SECRET_KEY"), env.getOrDefault("TRIBUNE_S3_REGION", "us-east-1"))
                        : fileExternal.s3());
        validate(external);
        String dataDir = env.getOrDefault("TRIBUNE_DATA_DIR", file.dataDir() == null ? ".tribune" : file.dataDir());
        return new Settings(Path.of(dataDir).toAbsolutePath().normalize(), ports, external, configFile);
    }

    private static FileShape readFile(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new CliException("config file " + configFile + " does not exist");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            FileShape shape = yaml.readValue(configFile.toFile(), FileShape.class);
            return shape == null ? new FileShape(null, null, null) : shape;
        } catch (JsonMappingException e) {
            String key = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("(root)");
            throw new CliException(configFile + ": invalid key '" + key + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException(configFile + ": cannot read: " + e.getMessage());
        }
    }

    /** File values of 0 (or omitted) keep the default. */
    private static Ports mergePorts(Ports p) {
        Ports d = Ports.defaults();
        return new Ports(or(p.api(), d.api()), or(p.admin(), d.admin()), or(p.postgres(), d.postgres()),
                or(p.kafka(), d.kafka()), or(p.redis(), d.redis()), or(p.s3(), d.s3()), or(p.sfu(), d.sfu()),
                or(p.sfuAdmin(), d.sfuAdmin()), or(p.media(), d.media()), or(p.smtp(), d.smtp()),
                or(p.mailbox(), d.mailbox()), or(p.notifyAdmin(), d.notifyAdmin()), or(p.hls(), d.hls()),
                or(p.hlsAdmin(), d.hlsAdmin()), or(p.hlsIngest(), d.hlsIngest()),
                or(p.transcoderAdmin(), d.transcoderAdmin()), or(p.srt(), d.srt()), or(p.stageRtp(), d.stageRtp()),
                or(p.archiveAdmin(), d.archiveAdmin()), or(p.transcriptionAdmin(), d.transcriptionAdmin()));
    }

    private static int or(int value, int fallback) {
        return value == 0 ? fallback : value;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        int port = fallback;
        if (value != null) {
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new CliException(name + " must be a port number, got '" + value + "'");
            }
        }
        if (port < 0 || port > 65535) {
            throw new CliException((value != null ? name : "ports") + ": port " + port + " is outside 0-65535");
        }
        return port;
    }

    private static void validate(External external) {
        if (external.postgres() != null && (external.postgres().url() == null
                || !external.postgres().url().startsWith("jdbc:postgresql://"))) {
            throw new CliException("external.postgres.url must be a jdbc:postgresql:// URL, got "
                    + external.postgres().url());
        }
        if (external.kafka() != null && (external.kafka().bootstrapServers() == null
                || external.kafka().bootstrapServers().isBlank())) {
            throw new CliException("external.kafka.bootstrapServers must list host:port pairs");
        }
        if (external.redis() != null && (external.redis().uri() == null
                || !external.redis().uri().matches("rediss?://.+"))) {
            throw new CliException("external.redis.uri must be a redis:// or rediss:// URI, got "
                    + external.redis().uri());
        }
        if (external.s3() != null && (external.s3().endpoint() == null
                || !external.s3().endpoint().matches("https?://.+") || external.s3().accessKey() == null
                || external.s3().secretKey() == null)) {
            throw new CliException("external.s3 needs endpoint (http(s)://...), accessKey and secretKey");
        }
    }

    Path runDir() {
        return dataDir.resolve("run");
    }

    Path logDir() {
        return dataDir.resolve("logs");
    }

    Path configDir() {
        return dataDir.resolve("config");
    }
}
