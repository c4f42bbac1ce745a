package io.tribune.api.core;

import java.util.Locale;
import java.util.Objects;

/**
 * Someone invited to a meeting: by account ({@code userId}) or, without one, by email address; never both.
 * Emails are kept as given and compared case-insensitively. Immutable.
 */
public record Invitee(String userId, String email, MeetingRole role) {

    public Invitee {
        if ((userId == null) == (email == null)) {
            throw new IllegalArgumentException("an invitee has a user id or an email address");
        }
        Objects.requireNonNull(role, "role");
    }

    public static Invitee user(String userId, MeetingRole role) {
        return new Invitee(userId, null, role);
    }

    public static Invitee email(String email, MeetingRole role) {
        return new Invitee(null, email, role);
    }

    /** The user id or email address, as the API lists it in {@code participants}. */
    public String reference() {
        return userId != null ? userId : email;
    }

    /** The key two entries for the same person share: user id, or lower-cased email. */
    public String identity() {
        return userId != null ? "user:" + userId : "email:" + email.toLowerCase(Locale.ROOT);
    }

    public Invitee withRole(MeetingRole newRole) {
        return new Invitee(userId, email, newRole);
    }
}
