package io.tribune.api.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Where a notification goes: a mail, a Web Push message to each of the person's browsers, the in-app bell. */
public enum Channel {
    EMAIL("email"),
    PUSH("push"),
    IN_APP("in_app");

    private final String key;

    Channel(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<Channel> of(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Channel::key).toList();
    }
}
