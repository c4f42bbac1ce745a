package io.tribune.transcoder.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SFU's description of a room's RTP egress (docs/sfu-signaling.md, "RTP egress to a transcoder"): the streams
 * it sends, with the caps {@code udpsrc} needs, and the room's dominant speaker. Parsed from the JSON the SFU keeps
 * in Redis; the transcoder never imports the SFU's classes. Immutable.
 *
 * @param activeSpeaker the dominant speaker's participant id, or null
 */
public record StageDescription(String room, String activeSpeaker, List<Stream> streams, long version) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StageDescription {
        streams = List.copyOf(streams);
    }

    /**
     * One stream.
     *
     * @param source camera, screen or microphone
     * @param media video or audio
     * @param encodingName VP8, H264 or OPUS
     */
    public record Stream(String participantId, String trackId, String source, String media, String encodingName,
                         int port, String caps) {

        public boolean isVideo() {
            return media.equals("video");
        }
    }

    /** Parses the SFU's JSON; a missing or wrong field is an {@link IllegalArgumentException} that names it. */
    public static StageDescription parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the stage description is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("streams").isArray()) {
            throw new IllegalArgumentException("the stage description has no streams array");
        }
        List<Stream> streams = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            String encoding = text(s, "encoding_name");
            if (!List.of("VP8", "H264", "OPUS").contains(encoding)) {
                throw new IllegalArgumentException("unsupported encoding_name " + encoding);
            }
            int port = s.path("port").asInt(-1);
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("stream port out of range: " + s.path("port"));
            }
            String caps = text(s, "caps");
            if (!caps.startsWith("application/x-rtp,") || caps.contains("!") || caps.contains("\"")) {
                throw new IllegalArgumentException("bad caps " + caps);
            }
            streams.add(new Stream(text(s, "participant_id"), text(s, "track_id"), text(s, "source"),
                    text(s, "media"), encoding, port, caps));
        }
        JsonNode speaker = root.path("active_speaker");
        return new StageDescription(root.path("room").asText(""), speaker.isTextual() ? speaker.asText() : null,
                streams, root.path("version").asLong(0));
    }

    private static String text(JsonNode node, String field) {
        if (!node.path(field).isTextual() || node.path(field).asText().isBlank()) {
            throw new IllegalArgumentException("stream field " + field + " is missing");
        }
        return node.path(field).asText();
    }
}
