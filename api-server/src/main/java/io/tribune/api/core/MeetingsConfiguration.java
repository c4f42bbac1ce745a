package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code meetings:} section: where joining clients connect, how long join tokens live, the passcode key and
 * the limits that keep scheduling and joining bounded. Mutable only while the configuration is being read.
 */
public class MeetingsConfiguration {

    /** WebSocket URL of the SFU's signaling endpoint, handed to joining clients. */
    @NotNull
    private URI signalingUrl = URI.create("ws://127.0.0.1:7880/signal");

    /** ICE servers (STUN/TURN) for the browser's RTCPeerConnection, passed through unchanged. */
    @Valid
    @NotNull
    @Size(max = 16)
    private List<IceServerConfiguration> iceServers = new ArrayList<>();

    /** Base of town-hall playlists (the CDN, or the origin): attendees get {@code <hlsBaseUrl>/hls/<meeting_id>/master.m3u8}. */
    @NotNull
    private URI hlsBaseUrl = URI.create("http://127.0.0.1:8090");

    /** The SFU node id written into join tokens ({@code node} claim) until room placement exists. */
    @NotBlank
    @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$", message = "must be 1-64 letters, digits, '.', '_' or '-'")
    private String sfuNode = "sfu-1";

    /**
     * File with the 32-byte server key passcodes are MACed and encrypted with. Created with random bytes and
     * owner-only permissions when missing; every api-server instance must read the same file.
     */
    @NotBlank
    private String passcodeKeyFile = "meetings-passcode.key";

    /** Lifetime of a join token: the client must open its SFU/channel connection within it. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    private Duration joinTokenTtl = Duration.minutes(2);

    /** Length of an instant meeting ({@code start_now}) and of a meeting created without an end time. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 24, unit = TimeUnit.HOURS)
    private Duration defaultDuration = Duration.minutes(60);

    /** Longest single occurrence a meeting may have. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 7, unit = TimeUnit.DAYS)
    private Duration maxDuration = Duration.hours(24);

    /** How far after a new meeting's start overlaps with the host's other meetings are looked for. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.DAYS)
    @MaxDuration(value = 3660, unit = TimeUnit.DAYS)
    private Duration conflictHorizon = Duration.days(365);

    /** Most occurrences a recurring series may have (its RRULE needs COUNT or UNTIL within this). */
    @Min(1)
    @Max(5000)
    private int maxOccurrences = 500;

    /** How long a lobby entry waits for admission without being polled before it is dropped. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration lobbyTtl = Duration.minutes(10);

    /** How long a join counts as an active participant (capacity, host presence) unless refreshed. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    private Duration presenceTtl = Duration.minutes(5);

    @Valid
    @NotNull
    private FailedJoinLimits failedJoinLimits = new FailedJoinLimits();

    /** Signed cookies for town-hall audiences. */
    @Valid
    @NotNull
    private PlaybackConfiguration playback = new PlaybackConfiguration();

    @JsonProperty
    public URI getSignalingUrl() {
        return signalingUrl;
    }

    @JsonProperty
    public void setSignalingUrl(URI signalingUrl) {
        this.signalingUrl = signalingUrl;
    }

    @JsonProperty
    public List<IceServerConfiguration> getIceServers() {
        return iceServers;
    }

    @JsonProperty
    public void setIceServers(List<IceServerConfiguration> iceServers) {
        this.iceServers = iceServers;
    }

    @JsonProperty
    public URI getHlsBaseUrl() {
        return hlsBaseUrl;
    }

    @JsonProperty
    public void setHlsBaseUrl(URI hlsBaseUrl) {
        this.hlsBaseUrl = hlsBaseUrl;
    }

    @JsonProperty
    public String getSfuNode() {
        return sfuNode;
    }

    @JsonProperty
    public void setSfuNode(String sfuNode) {
        this.sfuNode = sfuNode;
    }

    @JsonProperty
    public String getPasscodeKeyFile() {
        return passcodeKeyFile;
    }

    @JsonProperty
    public void setPasscodeKeyFile(String passcodeKeyFile) {
        this.passcodeKeyFile = passcodeKeyFile;
    }

    @JsonProperty
    public Duration getJoinTokenTtl() {
        return joinTokenTtl;
    }

    @JsonProperty
    public void setJoinTokenTtl(Duration joinTokenTtl) {
        this.joinTokenTtl = joinTokenTtl;
    }

    @JsonProperty
    public Duration getDefaultDuration() {
        return defaultDuration;
    }

    @JsonProperty
    public void setDefaultDuration(Duration defaultDuration) {
        this.defaultDuration = defaultDuration;
    }

    @JsonProperty
    public Duration getMaxDuration() {
        return maxDuration;
    }

    @JsonProperty
    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    @JsonProperty
    public Duration getConflictHorizon() {
        return conflictHorizon;
    }

    @JsonProperty
    public void setConflictHorizon(Duration conflictHorizon) {
        this.conflictHorizon = conflictHorizon;
    }

    @JsonProperty
    public int getMaxOccurrences() {
        return maxOccurrences;
    }

    @JsonProperty
    public void setMaxOccurrences(int maxOccurrences) {
        this.maxOccurrences = maxOccurrences;
    }

    @JsonProperty
    public Duration getLobbyTtl() {
        return lobbyTtl;
    }

    @JsonProperty
    public void setLobbyTtl(Duration lobbyTtl) {
        this.lobbyTtl = lobbyTtl;
    }

    @JsonProperty
    public Duration getPresenceTtl() {
        return presenceTtl;
    }

    @JsonProperty
    public void setPresenceTtl(Duration presenceTtl) {
        this.presenceTtl = presenceTtl;
    }

    @JsonProperty
    public FailedJoinLimits getFailedJoinLimits() {
        return failedJoinLimits;
    }

    @JsonProperty
    public void setFailedJoinLimits(FailedJoinLimits failedJoinLimits) {
        this.failedJoinLimits = failedJoinLimits;
    }

    @JsonProperty
    public PlaybackConfiguration getPlayback() {
        return playback;
    }

    @JsonProperty
    public void setPlayback(PlaybackConfiguration playback) {
        this.playback = playback;
    }

    @JsonIgnore
    @ValidationMethod(message = "meetings.signalingUrl must be an absolute ws:// or wss:// URL with a host")
    public boolean isSignalingUrlWebSocket() {
        return signalingUrl == null || hasSchemeAndHost(signalingUrl, "ws", "wss");
    }

    @JsonIgnore
    @ValidationMethod(message = "meetings.hlsBaseUrl must be an absolute http:// or https:// URL with a host")
    public boolean isHlsBaseUrlHttp() {
        return hlsBaseUrl == null || hasSchemeAndHost(hlsBaseUrl, "http", "https");
    }

    @JsonIgnore
    @ValidationMethod(message = "meetings.defaultDuration must not exceed meetings.maxDuration")
    public boolean isDefaultDurationWithinMax() {
        return defaultDuration == null || maxDuration == null
                || defaultDuration.toMilliseconds() <= maxDuration.toMilliseconds();
    }

    private static boolean hasSchemeAndHost(URI uri, String... schemes) {
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        for (String scheme : schemes) {
            if (scheme.equalsIgnoreCase(uri.getScheme())) {
                return true;
            }
        }
        return false;
    }

    /** The {@code meetings.failedJoinLimits:} section: failed join attempts allowed before refusing more. */
    public static class FailedJoinLimits {

        /** Failed joins one client address may make per {@link #perIpWindow} before getting 429s. */
        @Min(1)
        @Max(100_000)
        private int perIp = 10;

        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @MaxDuration(value = 1, unit = TimeUnit.DAYS)
        private Duration perIpWindow = Duration.minutes(1);

        /**
         * Failed passcode attempts on one meeting per {@link #perMeetingWindow} after which the meeting refuses
         * joins by passcode (423) until its host unlocks it.
         */
        @Min(1)
        @Max(1_000_000)
        private int perMeeting = 100;

        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MINUTES)
        @MaxDuration(value = 30, unit = TimeUnit.DAYS)
        private Duration perMeetingWindow = Duration.days(1);

        @JsonProperty
        public int getPerIp() {
            return perIp;
        }

        @JsonProperty
        public void setPerIp(int perIp) {
            this.perIp = perIp;
        }

        @JsonProperty
        public Duration getPerIpWindow() {
            return perIpWindow;
        }

        @JsonProperty
        public void setPerIpWindow(Duration perIpWindow) {
            this.perIpWindow = perIpWindow;
        }

        @JsonProperty
        public int getPerMeeting() {
            return perMeeting;
        }

        @JsonProperty
        public void setPerMeeting(int perMeeting) {
            this.perMeeting = perMeeting;
        }

        @JsonProperty
        public Duration getPerMeetingWindow() {
            return perMeetingWindow;
        }

        @JsonProperty
        public void setPerMeetingWindow(Duration perMeetingWindow) {
            this.perMeetingWindow = perMeetingWindow;
        }
    }
}
