package io.tribune.api.core;

import java.util.Optional;

/**
 * Who may do what with a meeting, enforced server-side:
 *
 * <table>
 *   <caption>Meeting permissions</caption>
 *   <tr><th>caller</th><th>see details</th><th>edit, lock, lobby</th><th>cancel</th><th>passcode</th></tr>
 *   <tr><td>host</td><td>yes</td><td>yes</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>co-host</td><td>yes</td><td>yes</td><td>403</td><td>yes</td></tr>
 *   <tr><td>other invitee</td><td>yes</td><td>403</td><td>403</td><td>no</td></tr>
 *   <tr><td>admin, not invited</td><td>yes</td><td>403</td><td>yes</td><td>no</td></tr>
 *   <tr><td>anyone else</td><td>404</td><td>404</td><td>404</td><td>no</td></tr>
 * </table>
 *
 * <p>People with no business with a meeting get 404, not 403, so a guessed id reveals nothing. Immutable.
 *
 * @param meeting the meeting
 * @param caller  the signed-in caller
 * @param role    the caller's role in the meeting, if any
 */
public record MeetingAccess(Meeting meeting, Caller caller, Optional<MeetingRole> role) {

    public static MeetingAccess of(Meeting meeting, Caller caller) {
        return new MeetingAccess(meeting, caller, meeting.roleOf(caller.userId(), caller.email()));
    }

    public boolean canView() {
        return role.isPresent() || caller.isAdmin();
    }

    public boolean canModerate() {
        return role.map(MeetingRole::moderates).orElse(false);
    }

    public boolean canCancel() {
        return role.filter(r -> r == MeetingRole.HOST).isPresent() || caller.isAdmin();
    }

    public boolean canSeePasscode() {
        return canModerate();
    }

    public boolean isHost() {
        return role.filter(r -> r == MeetingRole.HOST).isPresent();
    }

    /** 404 unless the caller may see the meeting. */
    public MeetingAccess requireView() {
        if (!canView()) {
            throw MeetingErrors.notFound(meeting.id());
        }
        return this;
    }

    /** 404 for strangers, 403 for those who see it but may not edit it. */
    public MeetingAccess requireModerate() {
        requireView();
        if (!canModerate()) {
            throw MeetingErrors.forbidden(meeting.id(), "Only the host and co-hosts may change this meeting.");
        }
        return this;
    }

    /** 404 for strangers, 403 for those who see it but may not cancel it. */
    public MeetingAccess requireCancel() {
        requireView();
        if (!canCancel()) {
            throw MeetingErrors.forbidden(meeting.id(), "Only the host or an admin may cancel this meeting.");
        }
        return this;
    }
}
