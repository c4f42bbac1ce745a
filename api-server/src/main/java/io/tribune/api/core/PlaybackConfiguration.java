package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.concurrent.TimeUnit;

/**
 * The {@code meetings.playback:} section: how town-hall audiences are let into the HLS origin or CDN. With a key
 * pair, the api-server hands each audience member CloudFront signed cookies (a custom policy with a wildcard over
 * {@code <hlsBaseUrl>/hls/<meeting_id>/*}) that the CDN, or the origin itself, checks; without one, playback URLs
 * are unsigned (only for an origin whose {@code signatures.required} is off). Mutable only while the
 * configuration is being read.
 */
public class PlaybackConfiguration {

    /** The CloudFront public key's id (or the id the origin's {@code signatures.trustedKeys} gives it). */
    @Pattern(regexp = "^[A-Za-z0-9_-]{1,128}$", message = "must be 1-128 letters, digits, '_' or '-'")
    private String keyPairId;

    /** PEM file ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8) of the RSA private key that signs the cookies. */
    private String privateKeyFile;

    /** How long a viewer's cookies stay valid; the audience page asks for fresh ones before then. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 2, unit = TimeUnit.DAYS)
    private Duration ttl = Duration.hours(6);

    /**
     * The cookies' {@code Domain} when the CDN's host is another host under a shared parent domain
     * ({@code example.org} for {@code tribune.example.org} and {@code cdn.example.org}); empty: host-only cookies,
     * which reach the origin when it shares the api-server's host name (ports do not separate cookies).
     */
    @Pattern(regexp = "^$|^[A-Za-z0-9.-]{1,253}$", message = "must be a domain name")
    private String cookieDomain = "";

    @JsonProperty
    public String getKeyPairId() {
        return keyPairId;
    }

    @JsonProperty
    public void setKeyPairId(String keyPairId) {
        this.keyPairId = keyPairId;
    }

    @JsonProperty
    public String getPrivateKeyFile() {
        return privateKeyFile;
    }

    @JsonProperty
    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    @JsonProperty
    public Duration getTtl() {
        return ttl;
    }

    @JsonProperty
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    @JsonProperty
    public String getCookieDomain() {
        return cookieDomain;
    }

    @JsonProperty
    public void setCookieDomain(String cookieDomain) {
        this.cookieDomain = cookieDomain;
    }

    /** Whether playback is signed (a key pair is configured). */
    @JsonIgnore
    public boolean signed() {
        return keyPairId != null && !keyPairId.isBlank();
    }

    @JsonIgnore
    @ValidationMethod(message = "meetings.playback.keyPairId and meetings.playback.privateKeyFile go together")
    public boolean isKeyComplete() {
        boolean id = keyPairId != null && !keyPairId.isBlank();
        boolean file = privateKeyFile != null && !privateKeyFile.isBlank();
        return id == file;
    }
}
