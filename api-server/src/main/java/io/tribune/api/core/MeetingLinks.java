package io.tribune.api.core;

import java.net.URI;
import java.util.Objects;

/**
 * The public URLs of meetings, built on {@code publicUrl}: the meeting's page ({@code /meetings/<id>}), its join
 * URL ({@code /meetings/<id>/join}), calendar files and feeds, and town-hall playlists on the HLS base URL.
 * Immutable and thread-safe.
 */
public final class MeetingLinks {

    private final String publicBase;
    private final String hlsBase;
    private final String hostName;

    public MeetingLinks(URI publicUrl, URI hlsBaseUrl) {
        this.publicBase = withoutTrailingSlash(Objects.requireNonNull(publicUrl, "publicUrl").toString());
        this.hlsBase = withoutTrailingSlash(Objects.requireNonNull(hlsBaseUrl, "hlsBaseUrl").toString());
        this.hostName = publicUrl.getHost();
    }

    /** Where media is served (the CDN or the hls-packager origin): live HLS under /hls/, recordings /recordings/. */
    public String mediaBaseUrl() {
        return hlsBase;
    }

    public String meetingUrl(String meetingId) {
        return publicBase + "/meetings/" + meetingId;
    }

    public String joinUrl(String meetingId) {
        return meetingUrl(meetingId) + "/join";
    }

    public String lobbyPollUrl(String meetingId, String participantId) {
        return publicBase + "/api/v1/meetings/" + meetingId + "/lobby/" + participantId;
    }

    /** The town hall's multivariant playlist, at the path the hls-packager's origin serves the event under. */
    public String hlsUrl(String meetingId) {
        return hlsPrefix(meetingId) + "master.m3u8";
    }

    /** Everything the audience fetches for a town hall lies under this URL (playlists, parts, segments). */
    public String hlsPrefix(String meetingId) {
        return hlsBase + "/hls/" + meetingId + "/";
    }

    /** The https (or http) URL of a calendar feed. */
    public String feedUrl(String token) {
        return publicBase + "/api/v1/calendar/" + token + ".ics";
    }

    /** The same feed with the {@code webcal} scheme, which makes calendar apps offer to subscribe. */
    public String webcalUrl(String token) {
        return "webcal" + feedUrl(token).substring(feedUrl(token).indexOf(':'));
    }

    public String hostName() {
        return hostName;
    }

    /** {@code 123 4567 8901}: how people read a numeric id aloud or type it. */
    public static String formatNumericId(long numericId) {
        String digits = Long.toString(numericId);
        return digits.substring(0, 3) + " " + digits.substring(3, 7) + " " + digits.substring(7);
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
