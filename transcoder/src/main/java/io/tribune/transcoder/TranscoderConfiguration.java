package io.tribune.transcoder;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.tribune.transcoder.pipeline.EncoderSettings;
import io.tribune.transcoder.pipeline.Ladder;
import io.tribune.transcoder.pipeline.Rung;
import io.tribune.transcoder.stage.StageTownHalls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

/** transcoder.yml; every key is documented in config/transcoder.example.yml. */
public class TranscoderConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    private Packager packager = new Packager();

    @Valid
    @NotNull
    @JsonProperty
    private Srt srt = new Srt();

    @Valid
    @NotNull
    @JsonProperty
    private Encoder encoder = new Encoder();

    @Valid
    @NotEmpty
    @JsonProperty
    private List<RungConfig> ladder = defaultLadder();

    @Valid
    @NotNull
    @JsonProperty
    private List<TownHall> townHalls = new ArrayList<>();

    @Valid
    @NotNull
    @JsonProperty
    private Stage stage = new Stage();

    public Packager getPackager() {
        return packager;
    }

    public Srt getSrt() {
        return srt;
    }

    public Encoder getEncoder() {
        return encoder;
    }

    public List<TownHall> getTownHalls() {
        return townHalls;
    }

    public Stage getStage() {
        return stage;
    }

    public Ladder ladder() {
        return new Ladder(ladder.stream().map(r -> new Rung(r.name, r.width, r.height, r.bitrateKbps)).toList());
    }

    private static List<RungConfig> defaultLadder() {
        List<RungConfig> rungs = new ArrayList<>();
        for (Rung rung : Ladder.DEFAULT.rungs()) {
            RungConfig c = new RungConfig();
            c.name = rung.name();
            c.width = rung.width();
            c.height = rung.height();
            c.bitrateKbps = rung.bitrateKbps();
            rungs.add(c);
        }
        return rungs;
    }

    /** Where the HLS packager's ingest listens. */
    public static class Packager {
        @NotEmpty
        @JsonProperty
        private String host = "127.0.0.1";
        @Min(1)
        @Max(65535)
        @JsonProperty
        private int port = 9935;
        @NotNull
        @JsonProperty
        private String key = "";

        public String getHost() {
            return host;
        }

        public int getPort() {
            return port;
        }

        public String getKey() {
            return key;
        }
    }

    /** The presenters' SRT listeners. */
    public static class Srt {
        @NotEmpty
        @JsonProperty
        private String bindAddress = "127.0.0.1";
        @NotNull
        @JsonProperty
        private Duration latency = Duration.milliseconds(200);

        public String getBindAddress() {
            return bindAddress;
        }

        public Duration getLatency() {
            return latency;
        }
    }

    /** x264 and AAC settings shared by every rung. */
    public static class Encoder {
        @Min(1)
        @Max(120)
        @JsonProperty
        private int frameRate = 30;
        @NotNull
        @JsonProperty
        private Duration keyframeInterval = Duration.seconds(2);
        @NotEmpty
        @JsonProperty
        private String preset = "veryfast";
        @NotEmpty
        @JsonProperty
        private String tune = "zerolatency";
        @Min(16_000)
        @Max(512_000)
        @JsonProperty
        private int audioBitrate = 128_000;

        public EncoderSettings settings() {
            return new EncoderSettings(frameRate, (int) keyframeInterval.toSeconds(), preset, tune, audioBitrate);
        }
    }

    /** One rung of the ladder. */
    public static class RungConfig {
        @NotEmpty
        @JsonProperty
        private String name;
        @Min(16)
        @JsonProperty
        private int width;
        @Min(16)
        @JsonProperty
        private int height;
        @Min(50)
        @JsonProperty
        private int bitrateKbps;
    }

    /** One town hall: its event id at the packager, the presenter's stream key and SRT port. */
    public static class TownHall {
        @NotNull
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
        @JsonProperty
        private String eventId;
        @NotNull
        @Pattern(regexp = "[!-~]{8,128}", message = "must be 8-128 printable ASCII characters without spaces")
        @JsonProperty
        private String streamKey;
        @Min(1)
        @Max(65535)
        @JsonProperty
        private int srtPort;

        public String getEventId() {
            return eventId;
        }

        public String getStreamKey() {
            return streamKey;
        }

        public int getSrtPort() {
            return srtPort;
        }
    }

    /**
     * Town halls whose stage is an SFU room: followed over the api-server's Redis while their broadcast is live.
     * Off without {@code redis}.
     */
    public static class Stage {
        /** Blocks of this many UDP ports per town hall: 32 streams, each on an even port with its RTCP port free. */
        public static final int PORTS_PER_TOWN_HALL = 64;

        @NotNull
        @JsonProperty
        private String redis = "";
        @NotEmpty
        @JsonProperty
        private String rtpHost = "127.0.0.1";
        @Min(1024)
        @Max(65000)
        @JsonProperty
        private int rtpPortBase = 20000;
        @Min(1)
        @Max(100)
        @JsonProperty
        private int maxTownHalls = 4;
        @NotNull
        @JsonProperty
        private Duration refresh = Duration.seconds(3);
        @NotNull
        @JsonProperty
        private Duration leaseTtl = Duration.seconds(10);
        @NotNull
        @JsonProperty
        private String instanceId = "";

        public boolean enabled() {
            return !redis.isBlank();
        }

        public String getRedis() {
            return redis;
        }

        public String getRtpHost() {
            return rtpHost;
        }

        public int getRtpPortBase() {
            return rtpPortBase;
        }

        public int getMaxTownHalls() {
            return maxTownHalls;
        }

        public java.time.Duration refresh() {
            return java.time.Duration.ofMillis(refresh.toMilliseconds());
        }

        public java.time.Duration leaseTtl() {
            return java.time.Duration.ofMillis(leaseTtl.toMilliseconds());
        }

        /** The configured instance id, or the host name with a random suffix when none is set. */
        public String instanceId() {
            return instanceId.isBlank() ? StageTownHalls.Settings.defaultInstanceId() : instanceId;
        }

        public StageTownHalls.Settings settings() {
            return new StageTownHalls.Settings(redis, instanceId(), rtpHost, rtpPortBase, maxTownHalls, refresh(),
                    leaseTtl());
        }

        @AssertTrue(message = "leaseTtl must be at least twice refresh (a lease must outlive a late renewal)")
        public boolean isLeaseTtlValid() {
            return leaseTtl.toMilliseconds() >= 2 * refresh.toMilliseconds();
        }

        @AssertTrue(message = "instanceId may only hold letters, digits, '.', '_' and '-' (64 at most)")
        public boolean isInstanceIdValid() {
            return instanceId.isEmpty() || instanceId.matches("[A-Za-z0-9._-]{1,64}");
        }

        @AssertTrue(message = "rtpPortBase must be even, and rtpPortBase + 64 x maxTownHalls at most 65536")
        public boolean isPortRangeValid() {
            return rtpPortBase % 2 == 0 && rtpPortBase + (long) PORTS_PER_TOWN_HALL * maxTownHalls <= 65_536;
        }

        @AssertTrue(message = "redis must be a redis:// or rediss:// URI")
        public boolean isRedisValid() {
            return redis.isBlank() || redis.startsWith("redis://") || redis.startsWith("rediss://");
        }
    }
}
