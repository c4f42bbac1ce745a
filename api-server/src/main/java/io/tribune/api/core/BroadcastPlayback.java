package io.tribune.api.core;

import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What an audience member needs to watch a town hall: the multivariant playlist's URL and CloudFront signed cookies
 * whose custom policy covers everything under the event's path ({@code <hlsBaseUrl>/hls/<meeting_id>/*}), so every
 * viewer asks for the same URLs and a CDN caches them once (DECISIONS "Town-hall delivery through the CDN"). A
 * signed URL of the playlist with the same policy is offered too, for players that cannot send cookies: its query
 * must then be added to every request under the path. Thread-safe.
 */
public final class BroadcastPlayback {

    private final MeetingLinks links;
    private final CloudFrontSigner signer;
    private final Duration ttl;
    private final String cookieDomain;
    private final Clock clock;

    /** A viewer's pass: {@code cookies} and {@code signedUrl} are empty/null when playback is unsigned. */
    public record Pass(String hlsUrl, String pathPrefix, Map<String, String> cookies, String signedUrl,
                       Instant expiresAt, String cookieDomain) {
    }

    public BroadcastPlayback(MeetingLinks links, PlaybackConfiguration configuration, Clock clock) {
        this.links = Objects.requireNonNull(links);
        this.clock = Objects.requireNonNull(clock);
        this.ttl = Duration.ofMillis(configuration.getTtl().toMilliseconds());
        this.cookieDomain = configuration.getCookieDomain() == null ? "" : configuration.getCookieDomain();
        this.signer = configuration.signed() ? new CloudFrontSigner(configuration.getKeyPairId(),
                readKey(Path.of(configuration.getPrivateKeyFile()))) : null;
    }

    public boolean signed() {
        return signer != null;
    }

    /** A pass for one viewer of {@code meetingId}, valid for the configured time from now. */
    public Pass pass(String meetingId) {
        String url = links.hlsUrl(meetingId);
        String prefix = links.hlsPrefix(meetingId);
        Instant expires = clock.instant().plus(ttl);
        if (signer == null) {
            return new Pass(url, prefix, Map.of(), null, expires, cookieDomain);
        }
        String pattern = prefix + "*";
        return new Pass(url, prefix, signer.cookies(pattern, expires), signer.signUrl(url, pattern, expires), expires,
                cookieDomain);
    }

    private static java.security.PrivateKey readKey(Path file) {
        try {
            return PemKeys.privateKey(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read meetings.playback.privateKeyFile " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("meetings.playback.privateKeyFile " + file
                    + " is not an RSA private key in PKCS#8 PEM: " + e.getMessage(), e);
        }
    }
}
