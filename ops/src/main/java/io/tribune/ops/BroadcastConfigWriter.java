package io.tribune.ops;

import io.tribune.common.cdn.PemKeys;
import io.tribune.platform.PlatformUrls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the town-hall services' configuration for one {@code tribune up}: the hls-packager (origin, ingest,
 * CloudFront-style signature checks with a key pair made once per data directory, segments to the embedded S3,
 * captions from the embedded Kafka into the subtitles rendition) and the transcoder (one demo town hall taking SRT
 * on 127.0.0.1 with a stream key made once, feeding that packager,
 * and, for each town hall broadcast from the web client, its SFU room's stage: the transcoder follows the
 * api-server's live broadcasts in the embedded Redis and takes the SFU's RTP on {@code stageRtp} and up).
 * {@code TRIBUNE_LADDER} (e.g. {@code 360p:640x360:800,180p:320x180:300}) replaces the default ladder, for small
 * machines and tests. Every key is explained in {@code hls-packager/config/hls-packager.example.yml} and
 * {@code transcoder/config/transcoder.example.yml}.
 */
final class BroadcastConfigWriter {

    /** The town hall `tribune up` sets up, ready for a presenter. */
    static final String DEMO_EVENT = "demo";
    /** The key pair id the origin trusts; the api-server signs audience cookies with the private half. */
    static final String CDN_KEY_ID = "KTRIBUNEDEV";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern RUNG = Pattern.compile("\\s*([A-Za-z0-9_-]+):(\\d{2,4})x(\\d{2,4}):(\\d{2,5})\\s*");

    private BroadcastConfigWriter() {
    }

    /** The origin, as viewers (and the edge) reach it. */
    static String originUrl(Settings settings) {
        return "http://127.0.0.1:" + settings.ports().hls();
    }

    /** Where a presenter points OBS or ffmpeg. */
    static String srtUrl(Settings settings) {
        return "srt://127.0.0.1:" + settings.ports().srt() + "?streamid=" + streamKey(settings);
    }

    static String packagerHealthUrl(Settings settings) {
        return "http://127.0.0.1:" + settings.ports().hlsAdmin() + "/healthcheck";
    }

    static String transcoderHealthUrl(Settings settings) {
        return "http://127.0.0.1:" + settings.ports().transcoderAdmin() + "/healthcheck";
    }

    /** The demo town hall's SRT stream key: 24 random characters, made once. */
    static String streamKey(Settings settings) {
        return secret(settings, "srt-stream-key", 24);
    }

    /** The RSA key pair whose public half the origin trusts: PEM files in the secrets directory, made once. */
    static Path cdnPrivateKey(Settings settings) {
        Path privateKey = Secrets.directory(settings).resolve("cdn-private.pem");
        Path publicKey = Secrets.directory(settings).resolve("cdn-public.pem");
        try {
            if (!Files.isRegularFile(privateKey) || !Files.isRegularFile(publicKey)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
                KeyPair pair = generator.generateKeyPair();
                String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
                ownerOnly(privateKey, pkcs8);
                ownerOnly(publicKey, PemKeys.pem(pair.getPublic()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator", e);
        }
        return privateKey;
    }

    static Path writePackager(Settings settings, PlatformUrls urls) {
        cdnPrivateKey(settings);
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("applicationConnectors", List.of(ServiceConfigFiles.connector(settings.ports().hls())));
        server.put("adminConnectors", List.of(ServiceConfigFiles.connector(settings.ports().hlsAdmin())));
        server.put("requestLog", Map.of("appenders", List.of()));
        root.put("server", server);
        root.put("ingest", Map.of("bindAddress", "127.0.0.1", "port", settings.ports().hlsIngest(),
                "key", ingestKey(settings)));
        root.put("signatures", Map.of("required", true, "publicBaseUrl", originUrl(settings),
                "allowedOrigins", List.of(ApiServerConfigWriter.publicUrl(settings)),
                "trustedKeys", Map.of(CDN_KEY_ID, Secrets.directory(settings).resolve("cdn-public.pem").toString())));
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("enabled", true);
        storage.put("endpoint", urls.s3Endpoint());
        storage.put("region", urls.s3Region());
        storage.put("accessKey", urls.s3AccessKey());
        storage.put("secretKey", urls.s3SecretKey());
        storage.put("bucket", "tribune-hls");
        storage.put("pathStyle", true);
        root.put("storage", storage);
        // Recordings played back through the origin, from the bucket recording-archive writes.
        Map<String, Object> recordings = new LinkedHashMap<>(storage);
        recordings.put("bucket", RecordingArchiveConfigWriter.BUCKET);
        root.put("recordings", recordings);
        // Town-hall captions (tribune.captions) into the HLS subtitles rendition.
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap(), "group", "hls-packager-captions"));
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());
        return ServiceConfigFiles.write(settings, "hls-packager.yml", root);
    }

    /** Town halls whose SFU stages the transcoder composes at once. */
    static final int STAGE_TOWN_HALLS = 2;

    static Path writeTranscoder(Settings settings, PlatformUrls urls) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("applicationConnectors", List.of());
        server.put("adminConnectors", List.of(ServiceConfigFiles.connector(settings.ports().transcoderAdmin())));
        server.put("requestLog", Map.of("appenders", List.of()));
        root.put("server", server);
        root.put("packager", Map.of("host", "127.0.0.1", "port", settings.ports().hlsIngest(),
                "key", ingestKey(settings)));
        root.put("srt", Map.of("bindAddress", "127.0.0.1"));
        root.put("townHalls", List.of(Map.of("eventId", DEMO_EVENT, "streamKey", streamKey(settings),
                "srtPort", settings.ports().srt())));
        root.put("stage", Map.of("redis", urls.redisUri(), "rtpHost", "127.0.0.1",
                "rtpPortBase", settings.ports().stageRtp(), "maxTownHalls", STAGE_TOWN_HALLS));
        String ladder = System.getenv("TRIBUNE_LADDER");
        if (ladder != null && !ladder.isBlank()) {
            root.put("ladder", ladder(ladder));
        }
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());
        return ServiceConfigFiles.write(settings, "transcoder.yml", root);
    }

    /** {@code name:WIDTHxHEIGHT:KBPS,...} as the transcoder's ladder list. */
    static List<Map<String, Object>> ladder(String spec) {
        List<Map<String, Object>> rungs = new ArrayList<>();
        for (String rung : spec.split(",")) {
            Matcher m = RUNG.matcher(rung);
            if (!m.matches()) {
                throw new CliException("TRIBUNE_LADDER: '" + rung + "' is not name:WIDTHxHEIGHT:KBPS (e.g. "
                        + "360p:640x360:800)");
            }
            rungs.add(Map.of("name", m.group(1), "width", Integer.parseInt(m.group(2)),
                    "height", Integer.parseInt(m.group(3)), "bitrateKbps", Integer.parseInt(m.group(4))));
        }
        return rungs;
    }

    private static String ingestKey(Settings settings) {
        return secret(settings, "ingest.key", 32);
    }

    private static String secret(Settings settings, String name, int length) {
        Path file = Secrets.directory(settings).resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        ownerOnly(file, value + "\n");
        return value.toString();
    }

    private static void ownerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
