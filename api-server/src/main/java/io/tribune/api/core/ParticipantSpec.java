package io.tribune.api.core;

/**
 * One entry of a request's {@code participants}, before it is checked against accounts and the meeting's kind:
 * a user id or an email address, and a role (null for the kind's default). {@code index} is its position in the
 * request, for error messages. Immutable.
 */
public record ParticipantSpec(int index, String userId, String email, MeetingRole role) {

    public String field() {
        return "participants[" + index + "]";
    }
}
