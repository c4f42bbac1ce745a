package io.tribune.notify.push;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code webPush:} section: the VAPID key pair (RFC 8292) the worker signs push requests with. Empty keys: Web
 * Push is off and push notifications are counted and skipped.
 */
public class WebPushConfiguration {

    /** The VAPID public key, base64url of the uncompressed P-256 point (65 bytes): the web client's applicationServerKey. */
    private String publicKey = "";

    /** The VAPID private key, base64url of the 32-byte P-256 scalar. */
    private String privateKey = "";

    /** The contact in every VAPID token ({@code sub}): a mailto: or https: URL. */
    @NotNull
    private String subject = "mailto:admin@tribune.local";

    /** How long the push service keeps an undelivered message ({@code TTL}). */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 28, unit = TimeUnit.DAYS)
    private Duration ttl = Duration.hours(1);

    /**
     * Accept {@code http://127.0.0.1} / {@code http://localhost} endpoints besides https ones: only for tests with
     * a local fake push service. The api-server accepts only https endpoints from browsers.
     */
    private boolean allowLoopbackHttp = false;

    @JsonProperty
    public boolean isAllowLoopbackHttp() {
        return allowLoopbackHttp;
    }

    @JsonProperty
    public void setAllowLoopbackHttp(boolean allowLoopbackHttp) {
        this.allowLoopbackHttp = allowLoopbackHttp;
    }

    @JsonProperty
    public String getPublicKey() {
        return publicKey;
    }

    @JsonProperty
    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey == null ? "" : publicKey;
    }

    @JsonProperty
    public String getPrivateKey() {
        return privateKey;
    }

    @JsonProperty
    public void setPrivateKey(String privateKey) {
        this.privateKey = privateKey == null ? "" : privateKey;
    }

    @JsonProperty
    public String getSubject() {
        return subject;
    }

    @JsonProperty
    public void setSubject(String subject) {
        this.subject = subject;
    }

    @JsonProperty
    public Duration getTtl() {
        return ttl;
    }

    @JsonProperty
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public boolean isEnabled() {
        return !publicKey.isBlank() && !privateKey.isBlank();
    }
}
