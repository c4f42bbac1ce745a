package io.tribune.transcoder.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the SRT stream id a caller presents against the town hall's stream key. The stream id is either the key
 * itself or SRT's access-control form {@code #!::r=<event>,s=<key>} (what OBS users paste as "stream key"), whose
 * {@code s} (session) field must then hold the key and whose {@code r} (resource), if present, must name the
 * event. Keys are compared in constant time. Stateless.
 */
public final class StreamKeys {

    private StreamKeys() {
    }

    public static boolean accepts(String streamId, String eventId, String expectedKey) {
        if (streamId == null || expectedKey == null || expectedKey.isEmpty()) {
            return false;
        }
        String presented = streamId;
        if (streamId.startsWith("#!::")) {
            presented = null;
            for (String pair : streamId.substring(4).split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    return false;
                }
                String name = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                if (name.equals("r") && !value.equals(eventId)) {
                    return false;
                } else if (name.equals("s")) {
                    presented = value;
                }
            }
            if (presented == null) {
                return false;
            }
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expectedKey.getBytes(StandardCharsets.UTF_8));
    }
}
