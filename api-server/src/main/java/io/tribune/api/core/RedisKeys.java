package io.tribune.api.core;

import io.tribune.api.auth.OpaqueTokens;

/**
 * Names of the Redis keys meetings use; other services (SFU, meeting channel) read some of them, so the names
 * are a contract. The meeting id sits in braces (a Redis Cluster hash tag), so one meeting's keys share a slot
 * and scripts may touch several of them. Stateless.
 */
public final class RedisKeys {

    private static final String PREFIX = "tribune:";

    private RedisKeys() {
    }

    /** Sorted set: participant id scored by the epoch millisecond their presence expires. */
    public static String presence(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:presence";
    }

    /** Sorted set like {@link #presence}, for the host and co-hosts only. */
    public static String moderatorPresence(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:moderators";
    }

    /** Hash: lobby participant id to its JSON entry. */
    public static String lobby(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:lobby";
    }

    /** Hash: lobby participant id to {@code admitted} or {@code denied}. */
    public static String lobbyDecisions(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:lobby-decisions";
    }

    /**
     * Hash: participant id to the JSON admission of someone a host let in from the lobby, remembered for the rest
     * of the occurrence so that reconnecting skips the lobby ({@link MeetingAdmissions}).
     */
    public static String admitted(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:admitted";
    }

    /**
     * Set of subject ids (user ids, guest ids) removed from the meeting: the SFU and the meeting channel refuse
     * join tokens whose {@code sub} is in it, and the API issues them none.
     */
    public static String revoked(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:revoked";
    }

    /** Hash: participant id to the JSON roster entry of everyone connected to the meeting channel. */
    public static String roster(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:roster";
    }

    /** Pub/sub channel: the meeting channel's events, shared by every api-server instance with members there. */
    public static String channelTopic(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:channel";
    }

    /**
     * Pub/sub channel: host controls for the SFU room (JSON {@code {"action":"mute"|"remove"|"end",
     * "participant_id","kind","by","at"}}), published by the api-server, applied at once by the SFU node.
     */
    public static String sfuControl(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:sfu-control";
    }

    /**
     * Sorted set: the meetings whose last participant left while a recording ran, each scored by the epoch
     * millisecond it emptied ({@link RecordingAutoStop}). One key for the deployment: every instance's sweep reads it.
     */
    public static String recordingAutoStops() {
        return PREFIX + "recordings:auto-stop";
    }

    /** String: marks a join token (by its {@code jti}) as used by {@code audience}; expires with the token. */
    public static String usedJoinToken(String audience, String tokenId) {
        return PREFIX + "join-token:" + audience + ":" + tokenId;
    }

    /** Counter of failed passcode attempts on one meeting (expires with its window). */
    public static String meetingFailures(String meetingId) {
        return PREFIX + "meeting:{" + meetingId + "}:join-failures";
    }

    /**
     * Counter of failed join attempts from one client address (expires with its window). The key holds the
     * address's SHA-256, not the address, as the accounts code does for its throttles.
     */
    public static String addressFailures(String address) {
        return PREFIX + "join-failures:address:" + OpaqueTokens.hexHash(address);
    }
}
