package io.tribune.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The Redis contract between the api-server, the transcoder and the SFU for town halls' live broadcasts
 * (docs/town-halls.md, "Live broadcasts over Redis"). The api-server keeps the set {@link #LIVE_SET} of the meeting
 * ids being broadcast (the truth, read on startup and every few seconds) and publishes each start and stop on
 * {@link #CHANNEL} (the fast path); the transcoder asks the room's SFU node for the stage over
 * {@link #egressControl} and follows {@link #egressDescription}. Each live town hall is run by one transcoder at a
 * time, the holder of its lease {@link #owner}. Stateless.
 */
public final class LiveBroadcasts {

    /** Set of meeting ids whose broadcast is live. */
    public static final String LIVE_SET = "tribune:broadcasts:live";
    /** Channel of {@link Announcement}s, JSON {@code {"action":"start"|"stop","meeting_id":"..."}}. */
    public static final String CHANNEL = "tribune:broadcasts";

    /** What a meeting id may look like here: it becomes a path at the packager and part of Redis keys. */
    private static final Pattern MEETING_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveBroadcasts() {
    }

    /**
     * Key holding the lease of the transcoder that runs one live town hall: its instance id, with a TTL it renews
     * while it runs it ({@code SET NX PX} to claim; gone when it stops or dies).
     */
    public static String owner(String meetingId) {
        return "tribune:broadcasts:owner:{" + meetingId + "}";
    }

    /** Channel of the SFU's egress commands for one room ({@code start} with host and port, {@code stop}). */
    public static String egressControl(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:egress-control";
    }

    /** Key holding the SFU's current egress description (JSON) of one room. */
    public static String egress(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:egress";
    }

    /** Channel on which the SFU publishes each new egress description of one room. */
    public static String egressDescription(String meetingId) {
        return "tribune:meeting:{" + meetingId + "}:egress-description";
    }

    /** Whether a meeting id is one the broadcast contract carries. */
    public static boolean validMeetingId(String meetingId) {
        return meetingId != null && MEETING_ID.matcher(meetingId).matches();
    }

    /** A broadcast went live ({@code start}) or ended ({@code stop}). */
    public record Announcement(boolean live, String meetingId) {

        public Announcement {
            if (!validMeetingId(meetingId)) {
                throw new IllegalArgumentException("bad meeting_id " + meetingId);
            }
        }

        public String toJson() {
            ObjectNode node = JSON.createObjectNode().put("action", live ? "start" : "stop")
                    .put("meeting_id", meetingId);
            return node.toString();
        }

        /** Parses one message; anything else is an {@link IllegalArgumentException} saying what is wrong. */
        public static Announcement parse(String json) {
            JsonNode root;
            try {
                root = json == null ? null : JSON.readTree(json);
            } catch (IOException e) {
                throw new IllegalArgumentException("not JSON: " + e.getMessage());
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String action = root.path("action").asText("");
            if (!action.equals("start") && !action.equals("stop")) {
                throw new IllegalArgumentException("action must be start or stop, not '" + action + "'");
            }
            JsonNode id = root.path("meeting_id");
            return new Announcement(action.equals("start"), id.isTextual() ? id.asText() : null);
        }
    }
}
