package io.tribune.api.core;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A person's role in one meeting (DECISIONS "Roles"). {@code host} owns the meeting; {@code co_host} helps run
 * it; {@code panelist} speaks in a town hall; {@code participant} takes part in a meeting; {@code attendee} watches
 * a town hall; {@code guest} joined without an account. Immutable.
 */
public enum MeetingRole {
    HOST, CO_HOST, PANELIST, PARTICIPANT, ATTENDEE, GUEST;

    /** Roles the host may give invitees (host is the owner's alone; guest is for people without accounts). */
    public static final Set<MeetingRole> ASSIGNABLE = EnumSet.of(CO_HOST, PANELIST, PARTICIPANT, ATTENDEE);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MeetingRole> parse(String value) {
        for (MeetingRole role : values()) {
            if (role.wireName().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** Host and co-host: they edit the meeting, admit from the lobby, lock it and see its passcode. */
    public boolean moderates() {
        return this == HOST || this == CO_HOST;
    }

    /** Whether this role watches a town hall over HLS instead of connecting to the SFU. */
    public boolean watchesBroadcast(MeetingKind kind) {
        return kind == MeetingKind.TOWN_HALL && (this == ATTENDEE || this == GUEST);
    }

    /**
     * What a join token for this role allows, in a fixed order. Audience members of a town hall (attendees and
     * guests) only subscribe and chat; guests in a meeting may talk and chat but not share their screen;
     * {@code record} needs the meeting's {@code recording_allowed}.
     */
    public List<Permission> permissions(MeetingKind kind, MeetingSettings settings) {
        EnumSet<Permission> granted;
        if (watchesBroadcast(kind)) {
            granted = EnumSet.of(Permission.SUBSCRIBE, Permission.CHAT);
        } else {
            granted = switch (this) {
                case HOST, CO_HOST -> EnumSet.of(Permission.PUBLISH, Permission.SUBSCRIBE, Permission.SCREENSHARE,
                        Permission.CHAT, Permission.MODERATE);
                case PANELIST, PARTICIPANT -> EnumSet.of(Permission.PUBLISH, Permission.SUBSCRIBE,
                        Permission.SCREENSHARE, Permission.CHAT);
                case GUEST -> EnumSet.of(Permission.PUBLISH, Permission.SUBSCRIBE, Permission.CHAT);
                case ATTENDEE -> EnumSet.of(Permission.SUBSCRIBE, Permission.CHAT);
            };
            if (moderates() && settings.recordingAllowed()) {
                granted.add(Permission.RECORD);
            }
        }
        return List.copyOf(granted);
    }
}
