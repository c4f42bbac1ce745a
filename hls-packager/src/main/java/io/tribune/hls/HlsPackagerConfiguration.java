package io.tribune.hls;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.tribune.hls.live.LiveSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** hls-packager.yml; every key is documented in config/hls-packager.example.yml. */
public class HlsPackagerConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    private Live live = new Live();

    @Valid
    @NotNull
    @JsonProperty
    private Ingest ingest = new Ingest();

    @Valid
    @NotNull
    @JsonProperty
    private Signatures signatures = new Signatures();

    @Valid
    @NotNull
    @JsonProperty
    private Storage storage = new Storage();

    @Valid
    @NotNull
    @JsonProperty
    private Recordings recordings = new Recordings();

    @Valid
    @NotNull
    @JsonProperty
    private Kafka kafka = new Kafka();

    public Live getLive() {
        return live;
    }

    public Ingest getIngest() {
        return ingest;
    }

    public Signatures getSignatures() {
        return signatures;
    }

    public Storage getStorage() {
        return storage;
    }

    public Recordings getRecordings() {
        return recordings;
    }

    public Kafka getKafka() {
        return kafka;
    }

    /** Town-hall captions from {@code tribune.captions} into the subtitles rendition; none without brokers. */
    public static class Kafka {
        @NotNull
        @JsonProperty
        private String bootstrapServers = "";
        @NotEmpty
        @JsonProperty
        private String group = "hls-packager-captions";
        @NotNull
        @JsonProperty
        private Duration captionsMaxAge = Duration.minutes(1);

        public boolean isEnabled() {
            return !bootstrapServers.isBlank();
        }

        public String getBootstrapServers() {
            return bootstrapServers;
        }

        public void setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public String getGroup() {
            return group;
        }

        public java.time.Duration getCaptionsMaxAge() {
            return captionsMaxAge.toJavaDuration();
        }
    }

    /** How events are cut and listed. */
    public static class Live {
        @NotNull
        @JsonProperty
        private Duration partTarget = Duration.milliseconds(400);
        @NotNull
        @JsonProperty
        private Duration segmentTarget = Duration.seconds(2);
        @NotNull
        @JsonProperty
        private Duration partHoldBack = Duration.milliseconds(1200);
        @Min(3)
        @JsonProperty
        private int windowSegments = 6;
        @Min(3)
        @JsonProperty
        private int retainSegments = 20;
        @NotEmpty
        @JsonProperty
        private String subtitlesLanguage = "en";
        @NotNull
        @JsonProperty
        private Duration endedRetention = Duration.minutes(10);

        public LiveSettings settings() {
            return new LiveSettings(partTarget.toJavaDuration(), segmentTarget.toJavaDuration(),
                    partHoldBack.toJavaDuration(), windowSegments, retainSegments);
        }

        public String getSubtitlesLanguage() {
            return subtitlesLanguage;
        }

        public java.time.Duration getEndedRetention() {
            return endedRetention.toJavaDuration();
        }
    }

    /** Where transcoders connect. */
    public static class Ingest {
        @NotEmpty
        @JsonProperty
        private String bindAddress = "127.0.0.1";
        @Min(0)
        @Max(65535)
        @JsonProperty
        private int port = 9935;
        @NotNull
        @JsonProperty
        private String key = "";
        @NotNull
        @JsonProperty
        private Duration idleTimeout = Duration.seconds(30);

        public String getBindAddress() {
            return bindAddress;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getKey() {
            return key;
        }

        public java.time.Duration getIdleTimeout() {
            return idleTimeout.toJavaDuration();
        }
    }

    /** CloudFront-style signature checks at the origin. */
    public static class Signatures {
        @JsonProperty
        private boolean required = true;
        @NotEmpty
        @JsonProperty
        private String publicBaseUrl = "http://127.0.0.1:8090";
        /** Web pages (scheme://host[:port]) whose players may fetch media with cookies from another origin. */
        @NotNull
        @JsonProperty
        private List<String> allowedOrigins = new ArrayList<>();
        /** Key pair id to the PEM file of its RSA public key. */
        @NotNull
        @JsonProperty
        private Map<String, String> trustedKeys = new LinkedHashMap<>();

        public boolean isRequired() {
            return required;
        }

        public void setRequired(boolean required) {
            this.required = required;
        }

        public String getPublicBaseUrl() {
            return publicBaseUrl;
        }

        public void setPublicBaseUrl(String publicBaseUrl) {
            this.publicBaseUrl = publicBaseUrl;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public Map<String, String> getTrustedKeys() {
            return trustedKeys;
        }
    }

    /** The copy in object storage (any S3 API). */
    public static class Storage {
        @JsonProperty
        private boolean enabled = true;
        /** Empty: AWS's own endpoint for the region. */
        @JsonProperty
        private String endpoint = "";
        @NotEmpty
        @JsonProperty
        private String region = "us-east-1";
        @JsonProperty
        private String accessKey = "";
        @JsonProperty
        private String secretKey = "";
        @NotEmpty
        @JsonProperty
        private String bucket = "tribune-hls";
        @NotNull
        @JsonProperty
        private String prefix = "hls/";
        @JsonProperty
        private boolean pathStyle = true;

        public boolean isEnabled() {
            return enabled;
        }

        public String getEndpoint() {
            return endpoint;
        }

        public String getRegion() {
            return region;
        }

        public String getAccessKey() {
            return accessKey;
        }

        public String getSecretKey() {
            return secretKey;
        }

        public String getBucket() {
            return bucket;
        }

        public String getPrefix() {
            return prefix;
        }

        public boolean isPathStyle() {
            return pathStyle;
        }
    }

    /**
     * Recordings served from recording-archive's bucket at {@code /recordings/<recording>/...}, behind the same
     * signature check as live HLS. The same S3 settings as recording-archive's {@code storage:} section.
     */
    public static class Recordings {
        @JsonProperty
        private boolean enabled = true;
        /** Empty: AWS's own endpoint for the region. */
        @NotNull
        @JsonProperty
        private String endpoint = "";
        @NotEmpty
        @JsonProperty
        private String region = "us-east-1";
        /** Empty: the AWS default credentials chain. */
        @NotNull
        @JsonProperty
        private String accessKey = "";
        @NotNull
        @JsonProperty
        private String secretKey = "";
        @NotEmpty
        @JsonProperty
        private String bucket = "tribune-recordings";
        @JsonProperty
        private boolean pathStyle = true;
        /**
         * How long a CDN or browser may keep a recording's bytes: a deleted recording stays servable from a cache
         * at most this long (production also invalidates CloudFront on deletion).
         */
        @NotNull
        @JsonProperty
        private Duration cacheMaxAge = Duration.seconds(60);

        public boolean isEnabled() {
            return enabled;
        }

        public String getEndpoint() {
            return endpoint;
        }

        public String getRegion() {
            return region;
        }

        public String getAccessKey() {
            return accessKey;
        }

        public String getSecretKey() {
            return secretKey;
        }

        public String getBucket() {
            return bucket;
        }

        public boolean isPathStyle() {
            return pathStyle;
        }

        public java.time.Duration getCacheMaxAge() {
            return cacheMaxAge.toJavaDuration();
        }
    }
}
