package io.tribune.ops;

import io.tribune.common.token.SigningKeys;
import io.tribune.platform.PlatformUrls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the SFU node's configuration for one {@code tribune up}: its signaling and admin ports, the UDP media
 * port on 127.0.0.1, the api-server's issuer and public keys (the public half of the signing keys file the
 * api-server uses, so the node verifies join tokens offline), and the Redis that carries host controls. Every key is
 * explained in {@code sfu-cluster/config/sfu.example.yml}.
 */
final class SfuConfigWriter {

    private SfuConfigWriter() {
    }

    /** The URL browsers open for signaling, as the api-server hands it out in join answers. */
    static String signalingUrl(Settings settings) {
        return "ws://127.0.0.1:" + settings.ports().sfu() + "/signal";
    }

    static String healthUrl(Settings settings) {
        return "http://127.0.0.1:" + settings.ports().sfuAdmin() + "/healthcheck";
    }

    /**
     * Writes the api-server's public JWKS next to the configuration (from its signing keys file, created here when
     * this is the first start, so the SFU need not wait for the api-server) and the node's config.
     */
    static Path write(Settings settings, PlatformUrls urls) throws IOException {
        Path jwks = settings.configDir().resolve("sfu-jwks.json");
        String publicUrl = ApiServerConfigWriter.publicUrl(settings);
        Files.createDirectories(jwks.getParent());
        Files.writeString(jwks, SigningKeys.loadOrCreate(Secrets.signingKeysFile(settings)).publicJwksJson());

        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("applicationConnectors", List.of(ServiceConfigFiles.connector(settings.ports().sfu())));
        server.put("adminConnectors", List.of(ServiceConfigFiles.connector(settings.ports().sfuAdmin())));
        server.put("requestLog", Map.of("appenders", List.of()));
        root.put("server", server);
        root.put("media", Map.of("port", settings.ports().media(), "hostAddresses", List.of("127.0.0.1")));
        // The api-server's issuer: its public URL, as tribune up leaves auth.issuer unset.
        root.put("tokens", Map.of("issuer", publicUrl, "jwksFile", jwks.toString()));
        root.put("redis", Map.of("uri", urls.redisUri()));
        // The media tap of recorded rooms (tribune.media.audio/video).
        root.put("kafka", Map.of("bootstrapServers", urls.kafkaBootstrap()));
        // Registered in Redis under this URL, which the api-server's join answers then name (SfuPlacement).
        root.put("registry", Map.of("nodeId", "local", "signalingUrl", signalingUrl(settings)));
        root.put("logging", ServiceConfigFiles.jsonConsoleLogging());
        return ServiceConfigFiles.write(settings, "sfu.yml", root);
    }
}
