package io.tribune.sfu;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The SFU node's configuration; config/sfu.example.yml documents every key. */
public class SfuConfiguration extends Configuration {

    @Valid
    @NotNull
    private Media media = new Media();

    @Valid
    @NotNull
    private Tokens tokens = new Tokens();

    @Valid
    @NotNull
    private Signaling signaling = new Signaling();

    @Valid
    @NotNull
    private Redis redis = new Redis();

    @JsonProperty
    public Redis getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(Redis redis) {
        this.redis = redis;
    }

    @JsonProperty
    public Media getMedia() {
        return media;
    }

    @JsonProperty
    public void setMedia(Media media) {
        this.media = media;
    }

    @JsonProperty
    public Tokens getTokens() {
        return tokens;
    }

    @JsonProperty
    public void setTokens(Tokens tokens) {
        this.tokens = tokens;
    }

    @JsonProperty
    public Signaling getSignaling() {
        return signaling;
    }

    @JsonProperty
    public void setSignaling(Signaling signaling) {
        this.signaling = signaling;
    }

    /** ICE and the media port. */
    public static class Media {
        @NotEmpty
        @JsonProperty
        public List<String> hostAddresses = List.of("127.0.0.1");

        @Min(1)
        @Max(65535)
        @JsonProperty
        public int port = 10000;

        /** The address a 1:1 NAT maps the host addresses to, announced as srflx; null when none. */
        @JsonProperty
        public String publicAddress;

        @JsonProperty
        public boolean iceLite = true;

        /**
         * How long the selected pair may go without an answered consent check (RFC 7675) before the participant is
         * removed and the others told. RFC 7675 stops sending after 30 s; a meeting wants to know sooner.
         */
        @NotNull
        @JsonProperty
        public Duration consentTimeout = Duration.seconds(8);

        /** How often ice4j sends a consent check on the selected pair; several must fit in the timeout. */
        @NotNull
        @JsonProperty
        public Duration consentCheckInterval = Duration.seconds(2);

        @Min(16)
        @JsonProperty
        public int receiveQueue = 256;

        /** At least two consent checks per timeout, or one lost check would remove a healthy participant. */
        @JsonIgnore
        @AssertTrue(message = "consentCheckInterval must be at most half of consentTimeout")
        public boolean isConsentCheckedWithinTimeout() {
            return consentCheckInterval == null || consentTimeout == null
                    || consentCheckInterval.toMilliseconds() * 2 <= consentTimeout.toMilliseconds();
        }

        @Min(16)
        @JsonProperty
        public int sendQueue = 1024;

        /** For tests only: drop this percentage of outgoing video packets (NACK and RTX then repair them). */
        @Min(0)
        @Max(50)
        @JsonProperty
        public double simulatedSendLossPercent = 0;
    }

    /** Join token verification. */
    public static class Tokens {
        /** The api-server's {@code auth.issuer}. */
        @NotEmpty
        @JsonProperty
        public String issuer = "tribune";

        /** The api-server's public JWKS (its /api/v1/.well-known/jwks.json), as a file. */
        @NotEmpty
        @JsonProperty
        public String jwksFile;

        @NotNull
        @JsonProperty
        public Duration leeway = Duration.seconds(30);
    }

    /**
     * The Redis the api-server uses: host controls (mute, remove, end) arrive on its per-meeting channels and
     * removed participants are in its per-meeting sets. Without a URI the node runs alone: no host controls from
     * the api-server, no revocation check.
     */
    public static class Redis {
        /** E.g. {@code redis://127.0.0.1:6379}; empty for none. */
        @JsonProperty
        public String uri;
    }

    /** The signaling WebSocket. */
    public static class Signaling {
        @NotEmpty
        @JsonProperty
        public String path = "/signal";

        @NotNull
        @JsonProperty
        public Duration joinTimeout = Duration.seconds(10);

        @Min(1)
        @JsonProperty
        public double messagesPerSecond = 20;

        @Min(1)
        @JsonProperty
        public int burst = 50;

        @Min(1)
        @JsonProperty
        public int floodCloseAfter = 500;

        @NotNull
        @JsonProperty
        public Duration idleTimeout = Duration.seconds(60);
    }
}
