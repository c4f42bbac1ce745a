package io.tribune.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * JSON encoding of {@link Event}s. Unknown payload fields are ignored (a newer producer may add optional fields);
 * an unknown type or version, or a malformed document, is an {@link EventFormatException} so a consumer can send
 * the record to its dead-letter topic. Thread-safe.
 */
public final class EventCodec {

    /** Largest event document accepted, in bytes: larger ones are rejected before parsing. */
    public static final int MAX_EVENT_BYTES = 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {
    }

    /** The mapper events use (ISO-8601 times, unknown fields ignored). Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Event event) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", event.id().toString());
        root.put("type", event.type());
        root.put("version", event.version());
        root.put("time", event.time().toString());
        root.set("data", MAPPER.valueToTree(event.data()));
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    public static String encodeToString(Event event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    public static Event decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new EventFormatException("empty event");
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new EventFormatException("event of " + bytes.length + " bytes exceeds " + MAX_EVENT_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new EventFormatException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new EventFormatException("event is not a JSON object");
        }
        String type = text(root, "type");
        JsonNode versionNode = root.get("version");
        if (versionNode == null || !versionNode.canConvertToInt()) {
            throw new EventFormatException("missing or invalid field 'version'");
        }
        int version = versionNode.intValue();
        EventTypes.Descriptor descriptor = EventTypes.find(type, version)
                .orElseThrow(() -> new EventFormatException("unknown event type " + type + " v" + version));
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new EventFormatException("missing field 'data'");
        }
        try {
            UUID id = UUID.fromString(text(root, "id"));
            Instant time = Instant.parse(text(root, "time"));
            EventData payload = MAPPER.treeToValue(data, descriptor.dataClass());
            return new Event(id, type, version, time, payload);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException | IOException e) {
            throw new EventFormatException("invalid " + type + " event: " + e.getMessage(), e);
        }
    }

    public static Event decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new EventFormatException("missing or invalid field '" + field + "'");
        }
        return node.textValue();
    }
}
