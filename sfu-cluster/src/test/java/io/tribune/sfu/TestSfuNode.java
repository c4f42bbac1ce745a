package io.tribune.sfu;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.tribune.common.token.SigningKeys;
import io.tribune.common.token.TokenIssuer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running {@link SfuApplication} for tests, on free ports, trusting a key of its own; mints join tokens as the
 * api-server would (subject = participant id, audience sfu + channel, claims room, role, permissions, name).
 */
public final class TestSfuNode implements AutoCloseable {

    public static final String ISSUER = "tribune-test";
    public static final List<String> EVERYTHING = List.of("publish", "subscribe", "screenshare", "chat");

    private final SigningKeys keys = SigningKeys.generate();
    private final Path jwks;
    private final DropwizardTestSupport<SfuConfiguration> support;

    public TestSfuNode(ConfigOverride... extra) throws Exception {
        jwks = Files.createTempFile("tribune-sfu-jwks-", ".json");
        Files.writeString(jwks, keys.publicJwksJson());
        int mediaPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            mediaPort = probe.getLocalPort();
        }
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("media.port", Integer.toString(mediaPort)),
                ConfigOverride.config("tokens.jwksFile", jwks.toString())));
        overrides.addAll(List.of(extra));
        support = new DropwizardTestSupport<>(SfuApplication.class,
                ResourceHelpers.resourceFilePath("io/tribune/sfu/sfu-test.yml"),
                overrides.toArray(ConfigOverride[]::new));
        support.before();
    }

    /** ws://127.0.0.1:PORT/signal */
    public String signalingUrl() {
        return "ws://127.0.0.1:" + support.getLocalPort() + "/signal";
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + support.getLocalPort() + "/admin";
    }

    public SfuApplication application() {
        return (SfuApplication) support.getApplication();
    }

    public String token(String participantId, String room, String role, List<String> permissions) {
        return token(participantId, room, role, permissions, List.of("sfu", "channel"), Duration.ofMinutes(2));
    }

    public String token(String participantId, String room, String role, List<String> permissions,
                        List<String> audiences, Duration ttl) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("room", room);
        claims.put("role", role);
        claims.put("permissions", permissions);
        claims.put("name", "Name of " + participantId);
        return new TokenIssuer(keys, ISSUER, Clock.systemUTC()).issue(participantId, audiences, ttl, claims).token();
    }

    /** A token that expired a while ago (beyond the verifier's leeway). */
    public String expiredToken(String participantId, String room) {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        Map<String, Object> claims = Map.of("room", room, "role", "participant", "permissions", EVERYTHING);
        return new TokenIssuer(keys, ISSUER, past).issue(participantId, List.of("sfu"), Duration.ofMinutes(2), claims)
                .token();
    }

    @Override
    public void close() throws IOException {
        support.after();
        Files.deleteIfExists(jwks);
    }
}
