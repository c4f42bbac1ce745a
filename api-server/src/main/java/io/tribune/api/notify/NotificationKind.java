package io.tribune.api.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a notification is about; preferences are per channel and kind. {@link #ACCOUNT} mails (verification,
 * password reset) cannot be turned off. The names are the API's and the unsubscribe tokens' categories.
 */
public enum NotificationKind {
    /** Meeting invitations, updates and cancellations. */
    INVITATIONS("invitations", "Invitations, updates and cancellations", true),
    REMINDERS("reminders", "Reminders before a meeting", true),
    RECORDINGS("recordings", "A recording is ready", true),
    TRANSCRIPTS("transcripts", "Transcripts and summaries", true),
    ACCOUNT("account", "Account mails (verification, password reset)", false);

    private final String key;
    private final String label;
    private final boolean optional;

    NotificationKind(String key, String label, boolean optional) {
        this.key = key;
        this.label = label;
        this.optional = optional;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** False for kinds a person cannot opt out of. */
    public boolean optional() {
        return optional;
    }

    public static Optional<NotificationKind> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(NotificationKind::key).toList();
    }

    /**
     * The kinds an unsubscribe token's category stands for: the worker signs meeting mails with
     * {@code invitations} or {@code reminders}; older mails carry {@code meetings}, which means both.
     */
    public static List<NotificationKind> ofCategory(String category) {
        if ("meetings".equals(category)) {
            return List.of(INVITATIONS, REMINDERS);
        }
        return of(category).filter(NotificationKind::optional).map(List::of).orElse(List.of());
    }
}
