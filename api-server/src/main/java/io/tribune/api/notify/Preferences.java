package io.tribune.api.notify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One person's notification preferences: the (channel, kind) pairs turned off, and how many minutes before a
 * meeting the reminder goes out. Account mails are always on. Immutable.
 *
 * @param disabled            {@code "channel:kind"} strings, e.g. {@code "email:reminders"}
 * @param reminderLeadMinutes 0 to {@value #MAX_LEAD_MINUTES}
 */
public record Preferences(Set<String> disabled, int reminderLeadMinutes) {

    public static final int DEFAULT_LEAD_MINUTES = 10;
    public static final int MAX_LEAD_MINUTES = 1440;
    public static final Preferences DEFAULTS = new Preferences(Set.of(), DEFAULT_LEAD_MINUTES);

    public Preferences {
        disabled = Set.copyOf(new TreeSet<>(disabled));
    }

    public boolean isOn(Channel channel, NotificationKind kind) {
        return !kind.optional() || !disabled.contains(pair(channel, kind));
    }

    public Preferences with(Channel channel, NotificationKind kind, boolean on) {
        Set<String> next = new TreeSet<>(disabled);
        if (on || !kind.optional()) {
            next.remove(pair(channel, kind));
        } else {
            next.add(pair(channel, kind));
        }
        return new Preferences(next, reminderLeadMinutes);
    }

    public Preferences withLeadMinutes(int minutes) {
        return new Preferences(disabled, minutes);
    }

    /** The kinds turned off for mail: what the worker needs for the mails it sends from meeting events. */
    public List<String> emailOptOuts() {
        List<String> kinds = new ArrayList<>();
        for (NotificationKind kind : NotificationKind.values()) {
            if (!isOn(Channel.EMAIL, kind)) {
                kinds.add(kind.key());
            }
        }
        return kinds;
    }

    public Preferences withOff(Collection<NotificationKind> kinds, Channel channel) {
        Preferences next = this;
        for (NotificationKind kind : kinds) {
            next = next.with(channel, kind, false);
        }
        return next;
    }

    static String pair(Channel channel, NotificationKind kind) {
        return channel.key() + ":" + kind.key();
    }
}
