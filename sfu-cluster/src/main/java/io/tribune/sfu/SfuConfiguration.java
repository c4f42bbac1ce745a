package io.tribune.sfu;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    @Valid
    @NotNull
    private RoomDefaults rooms = new RoomDefaults();

    @Valid
    @NotNull
    private Registry registry = new Registry();

    @Valid
    @NotNull
    private Kafka kafka = new Kafka();

    @JsonProperty
    public Kafka getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(Kafka kafka) {
        this.kafka = kafka;
    }

    @JsonProperty
    public RoomDefaults getRooms() {
        return rooms;
    }

    @JsonProperty
    public void setRooms(RoomDefaults rooms) {
        this.rooms = rooms;
    }

    @JsonProperty
    public Registry getRegistry() {
        return registry;
    }

    @JsonProperty
    public void setRegistry(Registry registry) {
        this.registry = registry;
    }

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

    /**
     * The Kafka cluster the media tap of recorded rooms publishes to ({@code tribune.media.audio/video}). Without
     * bootstrap servers the node taps nothing: recording commands are logged and refused.
     */
    public static class Kafka {
        /** {@code host:port} pairs, comma separated, e.g. {@code 127.0.0.1:9092}; empty for none. */
        @JsonProperty
        public String bootstrapServers;

        @NotEmpty
        @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be 1-100 letters, digits, '.', '_' or '-'")
        @JsonProperty
        public String clientId = "sfu";

        /** Batch compression: none (default: RTP payloads are compressed media), lz4, snappy, zstd or gzip. */
        @Pattern(regexp = "none|lz4|snappy|zstd|gzip", message = "must be none, lz4, snappy, zstd or gzip")
        @JsonProperty
        public String compression = "none";

        /** How long the producer waits to fill a batch ({@code linger.ms}). */
        @NotNull
        @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        public Duration linger = Duration.milliseconds(100);

        /** Largest batch per partition, in bytes ({@code batch.size}). */
        @Min(1024)
        @Max(16 * 1024 * 1024)
        @JsonProperty
        public int batchBytes = 128 * 1024;

        /** Packets the tap queues for the producer thread before it drops (and counts) new ones. */
        @Min(64)
        @Max(1_000_000)
        @JsonProperty
        public int tapQueuePackets = 16_384;

        /** Longest a send waits for metadata or buffer space ({@code max.block.ms}); only the tap's thread waits. */
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
        @JsonProperty
        public Duration maxBlock = Duration.seconds(5);

        @JsonIgnore
        public boolean configured() {
            return bootstrapServers != null && !bootstrapServers.isBlank();
        }
    }

    /** Speakers and last-N in every room of the node. */
    public static class RoomDefaults {
        /**
         * How many of the most recent dominant speakers' cameras a subscriber receives unless its {@code subscribe}
         * says otherwise; -1 for all. Screen shares and pinned tracks are always received.
         */
        @Min(-1)
        @JsonProperty
        public int lastN = -1;

        /** The quietest RFC 6464 audio level, in -dBov (0 loudest, 127 silence), that counts as speech. */
        @Min(1)
        @Max(127)
        @JsonProperty
        public int speechLevel = 50;

        /** The least time between two changes of the dominant speaker. */
        @NotNull
        @JsonProperty
        public Duration speakerMinDwell = Duration.seconds(1);

        /**
         * The most one participant may send, camera, screen share and audio together, in kbit/s: the SFU tells each
         * publisher with a REMB once a second, and browsers keep their send rate under it.
         */
        @Min(100)
        @JsonProperty
        public int maxPublishKbps = 6000;
    }

    /**
     * The node's entry in the Redis node registry (needs {@code redis.uri}): the api-server places each room on the
     * least-loaded live node and sends its participants there.
     */
    public static class Registry {
        /** This node's id in the registry; empty: the host name and the media port. */
        @JsonProperty
        public String nodeId;

        /** A free-form place name (data centre, cloud region) shown to operators. */
        @JsonProperty
        public String region = "local";

        /**
         * The URL browsers open for signaling on this node (wss:// through the TLS front); empty: ws:// on the
         * application connector's address, port and signaling.path.
         */
        @JsonProperty
        public String signalingUrl;

        /** How often the node refreshes its entry (load, rooms). */
        @NotNull
        @JsonProperty
        public Duration heartbeat = Duration.seconds(2);

        /** How long an entry lives without a heartbeat: a node that died disappears after this. */
        @NotNull
        @JsonProperty
        public Duration ttl = Duration.seconds(10);

        /** Endpoints the node takes at full load; with CPU, what the load the api-server compares is made of. */
        @Min(1)
        @JsonProperty
        public int maxEndpoints = 500;

        @JsonIgnore
        @AssertTrue(message = "registry.heartbeat must be at most a third of registry.ttl")
        public boolean isHeartbeatWithinTtl() {
            return heartbeat == null || ttl == null || heartbeat.toMilliseconds() * 3 <= ttl.toMilliseconds();
        }
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
