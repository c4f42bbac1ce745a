package io.tribune.api.core;

import io.tribune.api.core.MeetingLobby.Decision;
import io.tribune.api.core.MeetingLobby.Reason;
import io.tribune.api.db.MeetingDao;
import io.tribune.api.errors.ApiException;
import io.tribune.common.token.TokenIssuer;
import io.tribune.common.token.TokenIssuer.IssuedToken;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides who gets into a meeting, and hands out join tokens. In order, a join attempt is checked for: too many
 * failed attempts from the client's address (429), the meeting (404; an unknown id or number counts as a failed
 * attempt), cancellation (410), removal from the meeting (403), guests allowed (401 without an account when not),
 * the host's lock (423), the lock after too many wrong passcodes (423), the passcode (403; wrong ones count for
 * the address and the meeting), the lobby and {@code join_before_host} (202 and a lobby ticket), and capacity
 * (409). Hosts and co-hosts pass the lock, the lobby and capacity.
 *
 * <p>Someone a host admitted from the lobby is remembered for the rest of the occurrence ({@link
 * MeetingAdmissions}): a registered user by their account, a guest by the guest id and the rejoin secret handed out
 * with the admission. When they join again (the page reconnecting after a network blip, or a reload) they skip the
 * lobby, the passcode by link (they gave it before being admitted; by number it is always needed) and the lock:
 * the lock keeps out people the host has not let in yet, and someone already admitted who loses their connection
 * for a moment is not new to the meeting, so locking must not throw them out for good. Removal still wins: a
 * removed person is refused (403), admission or not. A denied person was never admitted. A rejoin secret that
 * does not match (wrong, or the occurrence is over) is ignored: the guest joins as a new guest would.
 *
 * <p>The passcode is needed when joining by number (always) or by link without an invitation. Invitees skip the
 * lobby; town-hall attendees skip it too (they watch the broadcast).
 *
 * <p>The join token is an ES256 JWT: {@code sub} the participant id (user id, or a fresh guest id), {@code aud}
 * {@code sfu} and {@code channel} (attendees who only watch: {@code channel}), a one-time {@code jti},
 * {@code exp} after {@code joinTokenTtl}, and claims {@code room}, {@code role}, {@code permissions},
 * {@code name}, {@code node} and {@code mute_on_entry}.
 *
 * <p>Thread-safe: state lives in PostgreSQL and Redis.
 */
public final class MeetingJoiner {

    public static final String AUDIENCE_SFU = "sfu";
    public static final String AUDIENCE_CHANNEL = "channel";

    /** How often lobby clients should poll. */
    public static final int POLL_AFTER_SECONDS = 2;

    private final Jdbi jdbi;
    private final MeetingScheduler scheduler;
    private final MeetingSecrets secrets;
    private final MeetingIds ids;
    private final JoinRateLimiter limiter;
    private final MeetingLobby lobby;
    private final MeetingPresence presence;
    private final JoinRevocations revocations;
    private final TokenIssuer tokens;
    private final MeetingsConfiguration configuration;
    private final MeetingAdmissions admissions;

    public MeetingJoiner(Jdbi jdbi, MeetingScheduler scheduler, MeetingSecrets secrets, MeetingIds ids,
                         JoinRateLimiter limiter, MeetingLobby lobby, MeetingPresence presence,
                         JoinRevocations revocations, TokenIssuer tokens, MeetingsConfiguration configuration,
                         MeetingAdmissions admissions) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.secrets = Objects.requireNonNull(secrets);
        this.ids = Objects.requireNonNull(ids);
        this.limiter = Objects.requireNonNull(limiter);
        this.lobby = Objects.requireNonNull(lobby);
        this.presence = Objects.requireNonNull(presence);
        this.revocations = Objects.requireNonNull(revocations);
        this.tokens = Objects.requireNonNull(tokens);
        this.configuration = Objects.requireNonNull(configuration);
        this.admissions = Objects.requireNonNull(admissions);
    }

    /**
     * One join attempt: {@code caller} null for a guest; {@code displayName} and {@code passcode} as sent (null
     * when absent); {@code clientAddress} the address failed attempts are counted for; {@code rejoinParticipantId}
     * and {@code rejoinSecret} what a guest admitted from the lobby presents when joining again (else null).
     */
    public record Attempt(Caller caller, String displayName, String passcode, String clientAddress,
                          String rejoinParticipantId, String rejoinSecret) {

        public Attempt(Caller caller, String displayName, String passcode, String clientAddress) {
            this(caller, displayName, passcode, clientAddress, null, null);
        }
    }

    /** What a join attempt led to. */
    public sealed interface Outcome permits Granted, Waiting {
        Meeting meeting();
    }

    /**
     * Let in: the token and what went into it; {@code rejoinSecret} only in the answer that admits a guest from
     * the lobby (what they present to join again), else null.
     */
    public record Granted(Meeting meeting, String participantId, String userId, String displayName,
                          MeetingRole role, List<Permission> permissions, IssuedToken token, String rejoinSecret)
            implements Outcome {
    }

    /** In the lobby; {@code lobbyToken} only in the answer that put them there. */
    public record Waiting(Meeting meeting, String participantId, Reason reason, String lobbyToken)
            implements Outcome {
    }

    /** Joins by the meeting's id (its link). */
    public Outcome joinById(String meetingId, Attempt attempt) {
        checkAddress(attempt.clientAddress());
        Optional<Meeting> meeting = scheduler.find(meetingId);
        if (meeting.isEmpty()) {
            limiter.addressFailed(attempt.clientAddress());
            throw MeetingErrors.notFound(meetingId);
        }
        return join(meeting.get(), attempt, false);
    }

    /** Joins by the number people type; the passcode is always needed. */
    public Outcome joinByNumber(long numericId, Attempt attempt) {
        checkAddress(attempt.clientAddress());
        Optional<Meeting> meeting = jdbi.withHandle(handle ->
                handle.attach(MeetingDao.class).findByNumericId(numericId));
        if (meeting.isEmpty()) {
            limiter.addressFailed(attempt.clientAddress());
            throw new ApiException(404, "meeting_not_found", "No meeting has that number.",
                    Map.of("numeric_id", Long.toString(numericId)));
        }
        return join(meeting.get(), attempt, true);
    }

    private Outcome join(Meeting meeting, Attempt attempt, boolean byNumber) {
        if (meeting.cancelled()) {
            throw new ApiException(410, "meeting_cancelled", "This meeting has been cancelled.",
                    Map.of("meeting_id", meeting.id()));
        }
        Caller caller = attempt.caller();
        Optional<MeetingRole> invited = caller == null ? Optional.empty()
                : meeting.roleOf(caller.userId(), caller.email());
        if (caller != null && revocations.isRevoked(meeting.id(), caller.userId())) {
            throw removed(meeting);
        }
        Optional<MeetingAdmissions.Admission> admitted = caller != null
                ? admissions.ofUser(meeting.id(), caller.userId())
                : admissions.ofGuest(meeting.id(), attempt.rejoinParticipantId(), attempt.rejoinSecret());
        if (admitted.isPresent() && revocations.isRevoked(meeting.id(), admitted.get().participantId())) {
            throw removed(meeting); // the admission stays, so every later try is told the same
        }
        if (caller == null && !meeting.settings().allowGuests()) {
            throw new ApiException(401, "sign_in_required", "This meeting does not admit guests: sign in to join.",
                    Map.of("meeting_id", meeting.id()));
        }
        MeetingRole role = invited.orElse(caller == null ? MeetingRole.GUEST
                : meeting.kind() == MeetingKind.TOWN_HALL ? MeetingRole.ATTENDEE : MeetingRole.PARTICIPANT);
        if (meeting.locked() && !role.moderates() && admitted.isEmpty()) {
            throw new ApiException(423, "meeting_locked", "The host has locked this meeting.",
                    Map.of("meeting_id", meeting.id()));
        }
        if (byNumber || (invited.isEmpty() && admitted.isEmpty())) {
            checkPasscode(meeting, attempt);
        }
        String participantId = caller != null ? caller.userId()
                : admitted.map(MeetingAdmissions.Admission::participantId).orElseGet(ids::newGuestId);
        // A guest comes back under the name the host admitted, whatever the page sends.
        String displayName = caller == null && admitted.isPresent() ? admitted.get().displayName()
                : attempt.displayName() != null ? attempt.displayName()
                : caller != null ? caller.displayName() : participantId;
        String userId = caller != null ? caller.userId() : null;
        if (admitted.isPresent()) {
            Granted granted = grant(meeting, participantId, userId, displayName, role);
            admissions.refresh(meeting.id(), admitted.get());
            return granted;
        }
        if (!role.moderates() && !role.watchesBroadcast(meeting.kind())) {
            boolean needsAdmission = meeting.settings().lobby() && invited.isEmpty();
            boolean waitingForHost = !meeting.settings().joinBeforeHost() && !presence.moderatorPresent(meeting.id());
            if (needsAdmission || waitingForHost) {
                String lobbyToken = ids.newToken();
                lobby.enter(meeting.id(), participantId, userId, displayName, role, needsAdmission, lobbyToken);
                return new Waiting(meeting, participantId,
                        needsAdmission ? Reason.AWAITING_ADMISSION : Reason.WAITING_FOR_HOST, lobbyToken);
            }
        }
        return grant(meeting, participantId, userId, displayName, role);
    }

    /**
     * A lobby client's poll: still waiting, or let in (the lobby entry is then removed).
     *
     * @throws ApiException 404 when there is no such entry or the token does not match, 403 when denied
     */
    public Outcome poll(String meetingId, String participantId, String lobbyToken) {
        Optional<Meeting> found = scheduler.find(meetingId);
        Optional<MeetingLobby.Waiting> waiting = found.isEmpty() ? Optional.empty()
                : lobby.poll(meetingId, participantId, lobbyToken);
        if (waiting.isEmpty()) {
            throw new ApiException(404, "lobby_entry_not_found",
                    "Nobody with that ticket waits in this lobby (it may have expired): join again.",
                    Map.of("meeting_id", meetingId, "participant_id", participantId));
        }
        Meeting meeting = found.get();
        MeetingLobby.Entry entry = waiting.get().entry();
        Optional<Decision> decision = waiting.get().decision();
        if (meeting.cancelled()) {
            lobby.leave(meetingId, participantId);
            throw new ApiException(410, "meeting_cancelled", "This meeting has been cancelled.",
                    Map.of("meeting_id", meetingId));
        }
        if (decision.filter(d -> d == Decision.DENIED).isPresent()
                || (entry.userId() != null && revocations.isRevoked(meetingId, entry.userId()))) {
            lobby.leave(meetingId, participantId);
            throw new ApiException(403, "lobby_denied", "The host did not let you in.",
                    Map.of("meeting_id", meetingId));
        }
        boolean admitted = decision.filter(d -> d == Decision.ADMITTED).isPresent();
        if (entry.needsAdmission() && !admitted) {
            return new Waiting(meeting, participantId, Reason.AWAITING_ADMISSION, null);
        }
        if (!admitted && meeting.locked()) {
            lobby.leave(meetingId, participantId);
            throw new ApiException(423, "meeting_locked", "The host has locked this meeting.",
                    Map.of("meeting_id", meetingId));
        }
        if (!admitted && !meeting.settings().joinBeforeHost() && !presence.moderatorPresent(meetingId)) {
            return new Waiting(meeting, participantId, Reason.WAITING_FOR_HOST, null);
        }
        MeetingRole role = MeetingRole.parse(entry.role()).orElse(MeetingRole.GUEST);
        Granted granted = grant(meeting, participantId, entry.userId(), entry.displayName(), role);
        lobby.leave(meetingId, participantId);
        if (admitted) {
            // Only a host's admission is remembered: someone who merely waited for the host did not need one.
            String secret = admissions.remember(meeting, participantId, entry.userId(), entry.displayName(), role);
            return new Granted(granted.meeting(), granted.participantId(), granted.userId(), granted.displayName(),
                    granted.role(), granted.permissions(), granted.token(), secret);
        }
        return granted;
    }

    private Granted grant(Meeting meeting, String participantId, String userId, String displayName,
                          MeetingRole role) {
        if (!presence.admit(meeting.id(), participantId, role.moderates(), meeting.settings().maxParticipants())) {
            throw new ApiException(409, "meeting_full", "This meeting has reached its "
                    + meeting.settings().maxParticipants() + " participants.",
                    Map.of("meeting_id", meeting.id(), "max_participants", meeting.settings().maxParticipants()));
        }
        List<Permission> permissions = role.permissions(meeting.kind(), meeting.settings());
        List<String> audiences = role.watchesBroadcast(meeting.kind())
                ? List.of(AUDIENCE_CHANNEL) : List.of(AUDIENCE_SFU, AUDIENCE_CHANNEL);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("room", meeting.id());
        claims.put("role", role.wireName());
        claims.put("permissions", permissions.stream().map(Permission::wireName).toList());
        claims.put("name", displayName);
        claims.put("node", configuration.getSfuNode());
        claims.put("mute_on_entry", meeting.settings().muteOnEntry());
        IssuedToken token = tokens.issue(participantId, audiences,
                Duration.ofMillis(configuration.getJoinTokenTtl().toMilliseconds()), claims);
        return new Granted(meeting, participantId, userId, displayName, role, permissions, token, null);
    }

    private void checkAddress(String address) {
        Optional<Duration> blocked = limiter.addressBlockedFor(address);
        if (blocked.isPresent()) {
            throw ApiException.retryAfter(429, "too_many_failed_joins", "Too many failed join attempts from your "
                    + "address; try again later.", blocked.get(), Map.of());
        }
    }

    private void checkPasscode(Meeting meeting, Attempt attempt) {
        if (meeting.guessingLocked()) {
            throw new ApiException(423, "passcode_attempts_exceeded", "Too many wrong passcodes were tried for "
                    + "this meeting; joining with a passcode is blocked until the host unlocks it.",
                    Map.of("meeting_id", meeting.id()));
        }
        if (attempt.passcode() == null || attempt.passcode().isEmpty()) {
            throw new ApiException(403, "passcode_required", "This meeting needs its passcode.",
                    Map.of("meeting_id", meeting.id(), "passcode", "is required"));
        }
        if (!secrets.passcodeMatches(meeting.id(), attempt.passcode(), meeting.passcode().digest())) {
            limiter.addressFailed(attempt.clientAddress());
            if (limiter.meetingFailed(meeting.id())) {
                scheduler.lockAgainstGuessing(meeting.id());
            }
            throw new ApiException(403, "invalid_passcode", "The passcode is wrong.",
                    Map.of("meeting_id", meeting.id(), "passcode", "is wrong"));
        }
    }

    private static ApiException removed(Meeting meeting) {
        return new ApiException(403, "removed_from_meeting", "You were removed from this meeting.",
                Map.of("meeting_id", meeting.id()));
    }
}
