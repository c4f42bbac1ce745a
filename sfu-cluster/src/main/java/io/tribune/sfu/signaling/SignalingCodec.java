package io.tribune.sfu.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.sfu.room.ParticipantInfo;
import io.tribune.sfu.room.TrackInfo;
import io.tribune.sfu.room.TrackSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads client messages and writes server messages of the signaling protocol (docs/sfu-signaling.md). Reading
 * checks everything the network can get wrong: size, JSON syntax and nesting, the type, each field's type and
 * bounds; anything else is a {@link SignalingException}, never another exception.
 *
 * <p>Thread-safe (the Jackson mapper is).
 */
public final class SignalingCodec {

    /** Longest message accepted, in characters; an offer with a dozen sections is ~15 KB. */
    public static final int MAX_MESSAGE_CHARS = 256 * 1024;
    static final int MAX_SDP_CHARS = 200 * 1024;
    static final int MAX_TOKEN_CHARS = 8192;
    static final int MAX_CANDIDATE_CHARS = 1024;
    static final int MAX_PREFERENCES = 64;
    /** The largest last-N a client may ask for; more than any room's participants. */
    static final int MAX_LAST_N = 1000;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:~-]{1,64}");
    private static final Set<String> LAYERS = Set.of("low", "medium", "high");

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                    .maxStringLength(MAX_MESSAGE_CHARS).maxNumberLength(32).build())
            .build());

    private SignalingCodec() {
    }

    /** Reads one client message. */
    public static ClientMessage parse(String text) throws SignalingException {
        if (text == null || text.length() > MAX_MESSAGE_CHARS) {
            throw new SignalingException("too_large", "message longer than " + MAX_MESSAGE_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SignalingException("malformed", "not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new SignalingException("malformed", "a message is a JSON object");
        }
        Long id = requestId(root);
        String type = requiredString(root, "type", 32);
        return switch (type) {
            case "join" -> new ClientMessage.Join(id, requiredString(root, "token", MAX_TOKEN_CHARS));
            case "offer" -> new ClientMessage.Offer(id, requiredString(root, "sdp", MAX_SDP_CHARS));
            case "trickle" -> new ClientMessage.Trickle(id, optionalString(root, "candidate", MAX_CANDIDATE_CHARS),
                    optionalIdentifier(root, "sdp_mid"));
            case "publish" -> publish(root, id);
            case "unpublish" -> new ClientMessage.Unpublish(id, identifier(root, "track_id"));
            case "mute" -> new ClientMessage.Mute(id, identifier(root, "track_id"), true);
            case "unmute" -> new ClientMessage.Mute(id, identifier(root, "track_id"), false);
            case "subscribe" -> subscribe(root, id);
            case "leave" -> new ClientMessage.Leave(id);
            case "ping" -> new ClientMessage.Ping(id);
            default -> throw new SignalingException("unknown_type", "unknown message type");
        };
    }

    private static ClientMessage publish(JsonNode root, Long id) throws SignalingException {
        String mid = identifier(root, "mid");
        String sourceName = requiredString(root, "source", 32);
        TrackSource source = TrackSource.parse(sourceName)
                .orElseThrow(() -> new SignalingException("bad_request", "source is microphone, camera or screen"));
        String kind = optionalString(root, "kind", 16);
        if (kind != null && !kind.equals(source.kind())) {
            throw new SignalingException("bad_request", "a " + sourceName + " track is " + source.kind());
        }
        return new ClientMessage.Publish(id, mid, source);
    }

    private static ClientMessage subscribe(JsonNode root, Long id) throws SignalingException {
        JsonNode list = root.get("preferences");
        if (list == null || !list.isArray()) {
            throw new SignalingException("bad_request", "preferences must be an array");
        }
        if (list.size() > MAX_PREFERENCES) {
            throw new SignalingException("bad_request", "at most " + MAX_PREFERENCES + " preferences");
        }
        List<ClientMessage.Preference> preferences = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw new SignalingException("bad_request", "a preference is an object");
            }
            String layer = optionalString(item, "layer", 16);
            if (layer != null && !LAYERS.contains(layer)) {
                throw new SignalingException("bad_request", "layer is low, medium or high");
            }
            preferences.add(new ClientMessage.Preference(identifier(item, "track_id"), dimension(item, "max_width"),
                    dimension(item, "max_height"), layer, optionalBoolean(item, "pinned")));
        }
        return new ClientMessage.Subscribe(id, preferences, lastN(root));
    }

    private static Integer lastN(JsonNode root) throws SignalingException {
        JsonNode value = root.get("last_n");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < -1
                || value.asInt() > MAX_LAST_N) {
            throw new SignalingException("bad_request", "last_n must be an integer from -1 (all) to " + MAX_LAST_N);
        }
        return value.asInt();
    }

    private static Boolean optionalBoolean(JsonNode node, String field) throws SignalingException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new SignalingException("bad_request", field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static Long requestId(JsonNode root) throws SignalingException {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 0) {
            throw new SignalingException("bad_request", "id must be a non-negative integer");
        }
        return id.asLong();
    }

    private static String requiredString(JsonNode node, String field, int maxChars) throws SignalingException {
        String value = optionalString(node, field, maxChars);
        if (value == null) {
            throw new SignalingException("bad_request", field + " is required");
        }
        return value;
    }

    private static String optionalString(JsonNode node, String field, int maxChars) throws SignalingException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new SignalingException("bad_request", field + " must be a string");
        }
        if (value.textValue().length() > maxChars) {
            throw new SignalingException("bad_request", field + " is too long");
        }
        return value.textValue();
    }

    private static String identifier(JsonNode node, String field) throws SignalingException {
        String value = optionalIdentifier(node, field);
        if (value == null) {
            throw new SignalingException("bad_request", field + " is required");
        }
        return value;
    }

    private static String optionalIdentifier(JsonNode node, String field) throws SignalingException {
        String value = optionalString(node, field, 64);
        if (value != null && !IDENTIFIER.matcher(value).matches()) {
            throw new SignalingException("bad_request", field + " must be 1-64 letters, digits or _.:~-");
        }
        return value;
    }

    private static Integer dimension(JsonNode node, String field) throws SignalingException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 8192) {
            throw new SignalingException("bad_request", field + " must be an integer from 1 to 8192");
        }
        return value.asInt();
    }

    /**
     * Writes a client message (for Java clients and load generators; also the fuzz target's round trip): reading
     * the result gives an equal message.
     */
    public static String write(ClientMessage message) {
        ObjectNode node;
        if (message instanceof ClientMessage.Join join) {
            node = message("join", join.requestId()).put("token", join.token());
        } else if (message instanceof ClientMessage.Offer offer) {
            node = message("offer", offer.requestId()).put("sdp", offer.sdp());
        } else if (message instanceof ClientMessage.Trickle trickle) {
            node = message("trickle", trickle.requestId()).put("candidate", trickle.candidate())
                    .put("sdp_mid", trickle.sdpMid());
        } else if (message instanceof ClientMessage.Publish publish) {
            node = message("publish", publish.requestId()).put("mid", publish.mid())
                    .put("source", publish.source().wireName()).put("kind", publish.source().kind());
        } else if (message instanceof ClientMessage.Unpublish unpublish) {
            node = message("unpublish", unpublish.requestId()).put("track_id", unpublish.trackId());
        } else if (message instanceof ClientMessage.Mute mute) {
            node = message(mute.muted() ? "mute" : "unmute", mute.requestId()).put("track_id", mute.trackId());
        } else if (message instanceof ClientMessage.Subscribe subscribe) {
            node = message("subscribe", subscribe.requestId());
            if (subscribe.lastN() != null) {
                node.put("last_n", subscribe.lastN());
            }
            ArrayNode list = node.putArray("preferences");
            for (ClientMessage.Preference preference : subscribe.preferences()) {
                list.addObject().put("track_id", preference.trackId()).put("max_width", preference.maxWidth())
                        .put("max_height", preference.maxHeight()).put("layer", preference.layer())
                        .put("pinned", preference.pinned());
            }
        } else if (message instanceof ClientMessage.Leave leave) {
            node = message("leave", leave.requestId());
        } else {
            node = message("ping", message.requestId());
        }
        return write(node);
    }

    // Server messages.

    private static ObjectNode message(String type, Long requestId) {
        ObjectNode node = MAPPER.createObjectNode().put("type", type);
        if (requestId != null) {
            node.put("id", requestId);
        }
        return node;
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String error(Long requestId, String code, String message) {
        return write(message("error", requestId).put("code", code).put("message", message));
    }

    public static String ack(Long requestId) {
        return write(message("ack", requestId));
    }

    public static String pong(Long requestId) {
        return write(message("pong", requestId));
    }

    public static String joined(Long requestId, String participantId, String room, String role,
                                Collection<String> permissions, List<ParticipantInfo> others, String activeSpeaker) {
        ObjectNode node = message("joined", requestId).put("participant_id", participantId).put("room", room)
                .put("role", role).put("active_speaker", activeSpeaker);
        ArrayNode granted = node.putArray("permissions");
        permissions.forEach(granted::add);
        ArrayNode participants = node.putArray("participants");
        others.forEach(p -> participants.add(participant(p)));
        return write(node);
    }

    public static String answer(Long requestId, String sdp, Map<String, TrackInfo> subscriptions) {
        ObjectNode node = message("answer", requestId).put("sdp", sdp);
        ObjectNode tracks = node.putObject("tracks");
        subscriptions.forEach((mid, track) -> tracks.set(mid, track(track)));
        return write(node);
    }

    public static String published(Long requestId, String mid, String trackId) {
        return write(message("published", requestId).put("mid", mid).put("track_id", trackId));
    }

    public static String participantJoined(ParticipantInfo participant) {
        return write((ObjectNode) message("participant_joined", null).set("participant", participant(participant)));
    }

    public static String participantLeft(String participantId, String reason) {
        return write(message("participant_left", null).put("participant_id", participantId).put("reason", reason));
    }

    public static String removed(String reason) {
        return write(message("removed", null).put("reason", reason));
    }

    public static String trackPublished(TrackInfo track) {
        return write((ObjectNode) message("track_published", null).set("track", track(track)));
    }

    public static String trackUnpublished(String participantId, String trackId) {
        return write(message("track_unpublished", null).put("participant_id", participantId)
                .put("track_id", trackId));
    }

    public static String trackMuted(String participantId, String trackId, boolean muted) {
        return write(message("track_muted", null).put("participant_id", participantId).put("track_id", trackId)
                .put("muted", muted));
    }

    /** The simulcast layer the client now receives of a track (docs/sfu-signaling.md, Simulcast). */
    public static String quality(String trackId, String layer, int width, int height) {
        ObjectNode node = message("quality", null).put("track_id", trackId).put("layer", layer);
        if (width > 0 && height > 0) {
            node.put("width", width).put("height", height);
        }
        return write(node);
    }

    public static String activeSpeaker(String participantId) {
        return write(message("active_speaker", null).put("participant_id", participantId));
    }

    /** @param speakers participant id and level (0..1), loudest first */
    public static String speaking(List<Map.Entry<String, Double>> speakers) {
        ObjectNode node = message("speaking", null);
        ArrayNode list = node.putArray("speakers");
        speakers.forEach(s -> list.addObject().put("participant_id", s.getKey()).put("level", s.getValue()));
        return write(node);
    }

    /** {@code track_paused} or {@code track_resumed}: the node stopped or resumed forwarding a track to you. */
    public static String trackPaused(String participantId, String trackId, boolean paused, String reason) {
        return write(message(paused ? "track_paused" : "track_resumed", null).put("participant_id", participantId)
                .put("track_id", trackId).put("reason", reason));
    }

    private static ObjectNode participant(ParticipantInfo participant) {
        ObjectNode node = MAPPER.createObjectNode().put("participant_id", participant.participantId())
                .put("name", participant.name()).put("role", participant.role());
        ArrayNode tracks = node.putArray("tracks");
        participant.tracks().forEach(t -> tracks.add(track(t)));
        return node;
    }

    private static ObjectNode track(TrackInfo track) {
        return MAPPER.createObjectNode().put("track_id", track.trackId()).put("participant_id", track.participantId())
                .put("kind", track.kind()).put("source", track.source().wireName()).put("muted", track.muted());
    }
}
