package io.tribune.api.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A meeting as the domain sees it: identity, schedule ({@code null} for a personal room, which is always
 * available), settings, invitees and state. Immutable (apart from the passcode's arrays, see
 * {@link StoredPasscode}).
 */
public record Meeting(String id, long numericId, MeetingKind kind, String hostId, String title,
                      MeetingSchedule schedule, MeetingSettings settings, boolean personalRoom, int sequence,
                      MeetingStatus status, boolean locked, boolean guessingLocked, StoredPasscode passcode,
                      List<Invitee> invitees, Instant createdAt, Instant updatedAt) {

    public Meeting {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(settings, "settings");
        if (schedule == null && !personalRoom) {
            throw new IllegalArgumentException("only a personal room has no schedule");
        }
        invitees = List.copyOf(invitees);
    }

    public boolean cancelled() {
        return status == MeetingStatus.CANCELLED;
    }

    /**
     * The role of a signed-in person in this meeting, or empty when they are neither its host nor invited.
     *
     * @param email their account's email address, matched case-insensitively against email invitations; may be
     *              null
     */
    public Optional<MeetingRole> roleOf(String userId, String email) {
        if (hostId.equals(userId)) {
            return Optional.of(MeetingRole.HOST);
        }
        return invitation(userId, email).map(Invitee::role);
    }

    /** The invitation of this person, by account or by email address. */
    public Optional<Invitee> invitation(String userId, String email) {
        String lowerEmail = email == null ? null : email.toLowerCase(Locale.ROOT);
        Invitee byEmail = null;
        for (Invitee invitee : invitees) {
            if (invitee.userId() != null && invitee.userId().equals(userId)) {
                return Optional.of(invitee);
            }
            if (byEmail == null && lowerEmail != null && invitee.email() != null
                    && invitee.email().toLowerCase(Locale.ROOT).equals(lowerEmail)) {
                byEmail = invitee;
            }
        }
        return Optional.ofNullable(byEmail);
    }

    /** The invitee listed as {@code reference} (a user id or an email address), if any. */
    public Optional<Invitee> invitee(String reference) {
        for (Invitee invitee : invitees) {
            if (invitee.reference().equals(reference)
                    || (invitee.email() != null && invitee.email().equalsIgnoreCase(reference))) {
                return Optional.of(invitee);
            }
        }
        return Optional.empty();
    }
}
