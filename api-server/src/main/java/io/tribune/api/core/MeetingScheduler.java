package io.tribune.api.core;

import io.tribune.api.cache.ChangeFeed;
import io.tribune.api.cache.ChangeKind;
import io.tribune.api.cache.NearCache;
import io.tribune.api.db.MeetingDao;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.EventData;
import io.tribune.events.ParticipantEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Schedules, edits and cancels meetings. Each operation is one database transaction that also appends its
 * event ({@code meeting.scheduled}, {@code meeting.updated}, {@code meeting.cancelled},
 * {@code participant.role_changed}) to the outbox, so the event exists exactly when the change was committed.
 *
 * <p>Schedule changes of one host are serialized with {@code pg_advisory_xact_lock(hashtext(host_id))} taken
 * before the conflict check, so two overlapping meetings created at the same moment cannot both pass it.
 * Edits also hold the meeting's row lock. Every change that alters the meeting's calendar entry raises its
 * iCalendar SEQUENCE.
 *
 * <p>Reads go through a {@link NearCache}; every change announces itself on the {@link ChangeFeed} after its
 * transaction, so this instance never serves the old meeting to the writer.
 *
 * <p>Thread-safe: it keeps no state between calls beyond the thread-safe cache.
 */
public final class MeetingScheduler {

    /** Attempts at finding unused random ids before giving up (a collision is already improbable). */
    private static final int ID_ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final AuditLog auditLog;
    private final MeetingEventFactory events;
    private final MeetingSecrets secrets;
    private final MeetingIds ids;
    private final UserDirectory users;
    private final ConflictFinder conflicts;
    private final MeetingsConfiguration configuration;
    private final Clock clock;
    private final NearCache<Meeting> cache;
    private final ChangeFeed changes;
    private volatile MeetingEventListener listener = MeetingEventListener.NONE;

    /**
     * @param cache   meetings by id, kept correct by {@code changes} (every instance evicts on commit)
     * @param changes where this scheduler announces its own changes right after committing them
     */
    public MeetingScheduler(Jdbi jdbi, OutboxWriter outbox, AuditLog auditLog, MeetingSecrets secrets, MeetingIds ids,
                            UserDirectory users, MeetingsConfiguration configuration, Clock clock,
                            NearCache<Meeting> cache, ChangeFeed changes) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.cache = Objects.requireNonNull(cache);
        this.changes = Objects.requireNonNull(changes);
        this.outbox = Objects.requireNonNull(outbox);
        this.auditLog = Objects.requireNonNull(auditLog);
        this.events = new MeetingEventFactory(users);
        this.secrets = Objects.requireNonNull(secrets);
        this.ids = Objects.requireNonNull(ids);
        this.users = Objects.requireNonNull(users);
        this.configuration = Objects.requireNonNull(configuration);
        this.conflicts = new ConflictFinder(Duration.ofMillis(configuration.getConflictHorizon().toMilliseconds()));
        this.clock = Objects.requireNonNull(clock);
    }

    /** Also tells {@code listener} of every meeting event, inside its transaction. Call before serving requests. */
    public MeetingScheduler notifying(MeetingEventListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /** Appends a meeting event and tells the listener, inside the change's transaction. */
    private void announce(Handle handle, EventData event, List<Invitee> uninvited) {
        outbox.append(handle, event);
        listener.appended(handle, event, uninvited.isEmpty() ? List.of() : events.invitees(uninvited));
    }

    /** Loads a meeting, or 404. */
    public Meeting get(String meetingId) {
        return find(meetingId).orElseThrow(() -> MeetingErrors.notFound(meetingId));
    }

    /**
     * The meeting with this id, from memory when it was read before and has not changed since (the hot read of
     * {@code GET /meetings/{id}} and joins), else from PostgreSQL.
     */
    public Optional<Meeting> find(String meetingId) {
        if (!MeetingIds.isMeetingId(meetingId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.get(meetingId,
                id -> jdbi.withHandle(handle -> handle.attach(MeetingDao.class).find(id)).orElse(null)));
    }

    /** Runs a transaction that changes meeting {@code meetingId}, then announces the change (even on failure). */
    private <T> T changing(String meetingId, HandleCallback<T, RuntimeException> transaction) {
        try {
            return jdbi.inTransaction(transaction);
        } finally {
            changes.announce(ChangeKind.MEETING, meetingId);
        }
    }

    /**
     * Schedules a meeting hosted by {@code caller}.
     *
     * @throws ApiException 403 for a town hall by someone who may not host one, 400 for unknown invitees, 409
     *                      {@code meeting_conflict} when it overlaps the host's meetings and overlap is not allowed
     */
    public Meeting create(Caller caller, MeetingDraft draft) {
        if (draft.kind() == MeetingKind.TOWN_HALL && !caller.mayHostTownHalls()) {
            throw new ApiException(403, "town_hall_not_allowed",
                    "Only platform hosts and admins may schedule town halls.", Map.of("kind", "town_hall"));
        }
        checkDuration(draft.schedule().startTime(), draft.schedule().endTime(), "end_time");
        List<Invitee> invitees = resolveInvitees(draft.kind(), draft.participants(), caller.userId());
        String passcode = draft.passcode() != null ? draft.passcode() : ids.newPasscode();
        Instant now = now();
        return jdbi.inTransaction(handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            dao.lockHost(caller.userId());
            if (!draft.allowOverlap()) {
                checkConflicts(dao, caller.userId(), draft.schedule(), "");
            }
            for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
                String id = ids.newMeetingId();
                Meeting meeting = new Meeting(id, ids.newNumericId(), draft.kind(), caller.userId(), draft.title(),
                        draft.schedule(), draft.settings(), false, 0, MeetingStatus.SCHEDULED, false, false,
                        storedPasscode(id, passcode), invitees, now, now);
                if (dao.insert(meeting)) {
                    announce(handle, events.scheduled(meeting), List.of());
                    return meeting;
                }
            }
            throw new IllegalStateException("no unused meeting id after " + ID_ATTEMPTS + " attempts");
        });
    }

    /**
     * Creates a personal room for {@code owner} inside {@code handle}'s transaction: no schedule, passcode and
     * lobby on, never conflicting with anything.
     */
    public Meeting insertPersonalRoom(Handle handle, Caller owner) {
        MeetingDao dao = handle.attach(MeetingDao.class);
        Instant now = now();
        String passcode = ids.newPasscode();
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            String id = ids.newMeetingId();
            Meeting room = new Meeting(id, ids.newNumericId(), MeetingKind.MEETING, owner.userId(),
                    owner.displayName() + "'s personal room", null, MeetingSettings.defaults(MeetingKind.MEETING),
                    true, 0, MeetingStatus.SCHEDULED, false, false, storedPasscode(id, passcode), List.of(), now,
                    now);
            if (dao.insert(room)) {
                return room;
            }
        }
        throw new IllegalStateException("no unused meeting id after " + ID_ATTEMPTS + " attempts");
    }

    /**
     * Applies an edit by a host or co-host: to the series, or with {@code patch.occurrence()} to one occurrence.
     */
    public Meeting update(Caller caller, String meetingId, MeetingPatch patch) {
        return changing(meetingId, handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            Meeting meeting = lockedMeeting(dao, meetingId);
            MeetingAccess access = MeetingAccess.of(meeting, caller).requireModerate();
            if (meeting.cancelled()) {
                throw MeetingErrors.cancelled(meetingId);
            }
            if (patch.occurrence() != null) {
                return updateOccurrence(handle, dao, meeting, patch);
            }
            return updateSeries(handle, dao, access, patch);
        });
    }

    private Meeting updateSeries(Handle handle, MeetingDao dao, MeetingAccess access, MeetingPatch patch) {
        Meeting meeting = access.meeting();
        Instant now = now();
        MeetingSchedule schedule = meeting.schedule();
        boolean timingChanged = false;
        if (patch.startTime() != null || patch.endTime() != null || patch.timeZone() != null
                || patch.recurrenceGiven()) {
            if (meeting.personalRoom()) {
                throw TimeInput.invalid(firstTimingField(patch), "cannot be set: a personal room has no schedule");
            }
            MeetingSchedule changed = reschedule(schedule, patch);
            timingChanged = !sameTiming(schedule, changed);
            schedule = timingChanged ? changed : schedule;
        }
        List<Invitee> invitees = meeting.invitees();
        if (patch.participants() != null) {
            invitees = resolveInvitees(meeting.kind(), patch.participants(), meeting.hostId());
            if (!access.isHost() && !coHosts(invitees).equals(coHosts(meeting.invitees()))) {
                throw MeetingErrors.forbidden(meeting.id(), "Only the host may add or remove co-hosts.");
            }
        }
        MeetingSettings settings = patch.settings() == null ? meeting.settings()
                : patch.settings().applyTo(meeting.settings());
        StoredPasscode passcode = patch.settings() != null && patch.settings().passcode() != null
                ? storedPasscode(meeting.id(), patch.settings().passcode()) : meeting.passcode();
        String title = patch.title() != null ? patch.title() : meeting.title();
        if (timingChanged) {
            dao.lockHost(meeting.hostId());
            if (!patch.allowOverlap()) {
                checkConflicts(dao, meeting.hostId(), schedule, meeting.id());
            }
        }
        Meeting updated = new Meeting(meeting.id(), meeting.numericId(), meeting.kind(), meeting.hostId(), title,
                schedule, settings, meeting.personalRoom(), meeting.sequence() + 1, meeting.status(),
                meeting.locked(), meeting.guessingLocked(), passcode, invitees, meeting.createdAt(), now);
        dao.update(updated, null);
        if (timingChanged) {
            // New times or a new rule give other occurrences: earlier per-occurrence changes no longer apply.
            dao.deleteOverrides(meeting.id());
        }
        if (patch.participants() != null) {
            dao.replaceInvitees(meeting.id(), invitees, now);
        }
        announce(handle, events.updated(updated, null, null), uninvited(meeting.invitees(), invitees));
        appendRoleChanges(handle, meeting, invitees, access.caller().userId());
        return dao.find(meeting.id()).orElseThrow();
    }

    private Meeting updateOccurrence(Handle handle, MeetingDao dao, Meeting meeting, MeetingPatch patch) {
        for (String field : patch.fieldsGiven()) {
            if (!Set.of("occurrence", "title", "start_time", "end_time", "allow_overlap").contains(field)) {
                throw TimeInput.invalid(field, "cannot be changed for a single occurrence; leave out occurrence "
                        + "to change the series");
            }
        }
        MeetingSchedule schedule = meeting.schedule();
        if (schedule == null || !schedule.recurring()) {
            throw TimeInput.invalid("occurrence", "is only for recurring meetings");
        }
        Instant occurrence = TimeInput.parse("occurrence", patch.occurrence(), schedule.timeZone());
        if (!schedule.hasOccurrence(occurrence)) {
            throw MeetingErrors.occurrenceNotFound(meeting.id(), patch.occurrence());
        }
        if (schedule.isCancelled(occurrence)) {
            throw new ApiException(409, "occurrence_cancelled", "That occurrence has been cancelled.",
                    Map.of("meeting_id", meeting.id(), "occurrence", occurrence.toString()));
        }
        OccurrenceOverride current = schedule.overrides().get(occurrence);
        Instant start = current != null ? current.startTime() : occurrence;
        Instant end = current != null ? current.endTime() : occurrence.plus(schedule.duration());
        String title = current != null ? current.title() : null;
        Duration length = Duration.between(start, end);
        if (patch.startTime() != null) {
            start = TimeInput.parse("start_time", patch.startTime(), schedule.timeZone());
            end = start.plus(length);
        }
        if (patch.endTime() != null) {
            end = TimeInput.parse("end_time", patch.endTime(), schedule.timeZone());
        }
        checkDuration(start, end, patch.endTime() != null ? "end_time" : "start_time");
        if (patch.title() != null) {
            title = patch.title();
        }
        OccurrenceOverride override = new OccurrenceOverride(occurrence, false, title, start, end);
        MeetingSchedule changed = schedule.with(override);
        boolean moved = current == null ? !start.equals(occurrence) || !end.equals(occurrence.plus(
                schedule.duration())) : !start.equals(current.startTime()) || !end.equals(current.endTime());
        if (moved && !patch.allowOverlap()) {
            dao.lockHost(meeting.hostId());
            checkConflicts(dao, meeting.hostId(), MeetingSchedule.single(start, end, schedule.timeZone()),
                    meeting.id());
        }
        Instant now = now();
        Meeting updated = withSchedule(meeting, changed, meeting.sequence() + 1, now);
        dao.upsertOverride(meeting.id(), override, now);
        dao.update(updated, null);
        announce(handle, events.updated(updated, override, occurrence), List.of());
        return dao.find(meeting.id()).orElseThrow();
    }

    /**
     * Cancels a meeting, or with {@code occurrence} one occurrence of its series. Only its host or an admin may.
     *
     * @return the meeting after the change
     */
    public Meeting cancel(Caller caller, String meetingId, String occurrence) {
        return changing(meetingId, handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            Meeting meeting = lockedMeeting(dao, meetingId);
            MeetingAccess.of(meeting, caller).requireCancel();
            if (meeting.personalRoom()) {
                throw new ApiException(409, "personal_room", "A personal room is permanent and cannot be cancelled.",
                        Map.of("meeting_id", meetingId));
            }
            if (meeting.cancelled()) {
                throw MeetingErrors.cancelled(meetingId);
            }
            Instant now = now();
            if (occurrence == null) {
                Meeting cancelled = new Meeting(meeting.id(), meeting.numericId(), meeting.kind(), meeting.hostId(),
                        meeting.title(), meeting.schedule(), meeting.settings(), false, meeting.sequence() + 1,
                        MeetingStatus.CANCELLED, meeting.locked(), meeting.guessingLocked(), meeting.passcode(),
                        meeting.invitees(), meeting.createdAt(), now);
                dao.update(cancelled, now);
                announce(handle, events.cancelled(cancelled, null), List.of());
                recordAdminAction(handle, caller, meeting, "meeting.cancelled_by_admin", Map.of());
                return cancelled;
            }
            MeetingSchedule schedule = meeting.schedule();
            if (!schedule.recurring()) {
                throw TimeInput.invalid("occurrence", "is only for recurring meetings");
            }
            Instant start = TimeInput.parse("occurrence", occurrence, schedule.timeZone());
            if (!schedule.hasOccurrence(start)) {
                throw MeetingErrors.occurrenceNotFound(meetingId, occurrence);
            }
            if (schedule.isCancelled(start)) {
                throw new ApiException(409, "occurrence_cancelled", "That occurrence is already cancelled.",
                        Map.of("meeting_id", meetingId, "occurrence", start.toString()));
            }
            OccurrenceOverride override = OccurrenceOverride.cancelled(start);
            Meeting updated = withSchedule(meeting, schedule.with(override), meeting.sequence() + 1, now);
            dao.upsertOverride(meeting.id(), override, now);
            dao.update(updated, null);
            announce(handle, events.cancelled(updated, start), List.of());
            recordAdminAction(handle, caller, meeting, "meeting.occurrence_cancelled_by_admin",
                    Map.of("occurrence", start.toString()));
            return updated;
        });
    }

    /**
     * Locks or unlocks a meeting (hosts and co-hosts). Unlocking also lifts the lock that too many wrong
     * passcodes put on it.
     */
    public Meeting setLocked(Caller caller, String meetingId, boolean locked) {
        return changing(meetingId, handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            Meeting meeting = lockedMeeting(dao, meetingId);
            MeetingAccess.of(meeting, caller).requireModerate();
            Meeting changed = new Meeting(meeting.id(), meeting.numericId(), meeting.kind(), meeting.hostId(),
                    meeting.title(), meeting.schedule(), meeting.settings(), meeting.personalRoom(),
                    meeting.sequence(), meeting.status(), locked, locked && meeting.guessingLocked(),
                    meeting.passcode(), meeting.invitees(), meeting.createdAt(), now());
            dao.update(changed, null);
            return changed;
        });
    }

    /** Marks a meeting as locked against passcode guessing (after too many failed attempts). */
    public void lockAgainstGuessing(String meetingId) {
        changing(meetingId, handle -> {
            handle.attach(MeetingDao.class).lockAgainstGuessing(meetingId);
            return null;
        });
    }

    /**
     * Gives invitee {@code reference} (user id or email address) a new role. The host may give any assignable
     * role; co-hosts may not make or unmake co-hosts.
     */
    public Meeting changeRole(Caller caller, String meetingId, String reference, MeetingRole role) {
        return changing(meetingId, handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            Meeting meeting = lockedMeeting(dao, meetingId);
            MeetingAccess access = MeetingAccess.of(meeting, caller).requireModerate();
            if (meeting.cancelled()) {
                throw MeetingErrors.cancelled(meetingId);
            }
            Invitee invitee = meeting.invitee(reference).orElseThrow(() -> new ApiException(404,
                    "participant_not_found", "Nobody is invited to this meeting as " + reference + ".",
                    Map.of("meeting_id", meetingId, "participant", reference)));
            checkRoleForKind(meeting.kind(), role, "role");
            if (!access.isHost() && (role == MeetingRole.CO_HOST || invitee.role() == MeetingRole.CO_HOST)) {
                throw MeetingErrors.forbidden(meetingId, "Only the host may make or unmake co-hosts.");
            }
            if (invitee.role() == role) {
                return meeting;
            }
            List<Invitee> invitees = new ArrayList<>();
            for (Invitee existing : meeting.invitees()) {
                invitees.add(existing.identity().equals(invitee.identity()) ? existing.withRole(role) : existing);
            }
            Instant now = now();
            Meeting updated = new Meeting(meeting.id(), meeting.numericId(), meeting.kind(), meeting.hostId(),
                    meeting.title(), meeting.schedule(), meeting.settings(), meeting.personalRoom(),
                    meeting.sequence() + 1, meeting.status(), meeting.locked(), meeting.guessingLocked(),
                    meeting.passcode(), invitees, meeting.createdAt(), now);
            dao.update(updated, null);
            dao.replaceInvitees(meeting.id(), invitees, now);
            outbox.append(handle, new ParticipantEvents.RoleChanged(meeting.id(), invitee.reference(),
                    role.wireName(), caller.userId()));
            return updated;
        });
    }

    // --- Helpers -------------------------------------------------------------------------------------------

    private Meeting lockedMeeting(MeetingDao dao, String meetingId) {
        if (!MeetingIds.isMeetingId(meetingId)) {
            throw MeetingErrors.notFound(meetingId);
        }
        return dao.findForUpdate(meetingId).orElseThrow(() -> MeetingErrors.notFound(meetingId));
    }

    private static Meeting withSchedule(Meeting meeting, MeetingSchedule schedule, int sequence, Instant now) {
        return new Meeting(meeting.id(), meeting.numericId(), meeting.kind(), meeting.hostId(), meeting.title(),
                schedule, meeting.settings(), meeting.personalRoom(), sequence, meeting.status(), meeting.locked(),
                meeting.guessingLocked(), meeting.passcode(), meeting.invitees(), meeting.createdAt(), now);
    }

    private MeetingSchedule reschedule(MeetingSchedule current, MeetingPatch patch) {
        ZoneId zone = patch.timeZone() != null ? patch.timeZone() : current.timeZone();
        Instant start = patch.startTime() != null
                ? TimeInput.parse("start_time", patch.startTime(), zone) : current.startTime();
        Instant end;
        if (patch.endTime() != null) {
            end = TimeInput.parse("end_time", patch.endTime(), zone);
        } else {
            end = start.plus(current.duration());
        }
        checkDuration(start, end, patch.endTime() != null ? "end_time" : "start_time");
        String rule = patch.recurrenceGiven() ? patch.recurrence()
                : current.rule().map(RecurrenceRule::value).orElse(null);
        return schedule(start, end, zone, rule, configuration.getMaxOccurrences());
    }

    /** A schedule from checked parts; a bad rule is a 400 naming {@code recurrence}. */
    public static MeetingSchedule schedule(Instant start, Instant end, ZoneId zone, String recurrence,
                                           int maxOccurrences) {
        RecurrenceRule rule = null;
        if (recurrence != null) {
            try {
                rule = RecurrenceRule.parse(recurrence, start.atZone(zone), maxOccurrences);
            } catch (RecurrenceRule.InvalidRecurrenceException e) {
                throw TimeInput.invalid("recurrence", e.getMessage());
            }
        }
        return new MeetingSchedule(start, end, zone, rule, Map.of());
    }

    private static boolean sameTiming(MeetingSchedule a, MeetingSchedule b) {
        return a.startTime().equals(b.startTime()) && a.endTime().equals(b.endTime())
                && a.timeZone().equals(b.timeZone())
                && a.rule().map(RecurrenceRule::value).equals(b.rule().map(RecurrenceRule::value));
    }

    private static String firstTimingField(MeetingPatch patch) {
        if (patch.startTime() != null) {
            return "start_time";
        }
        if (patch.endTime() != null) {
            return "end_time";
        }
        return patch.timeZone() != null ? "time_zone" : "recurrence";
    }

    void checkDuration(Instant start, Instant end, String field) {
        if (!end.isAfter(start)) {
            throw TimeInput.invalid(field, "must be after start_time");
        }
        Duration max = Duration.ofMillis(configuration.getMaxDuration().toMilliseconds());
        if (Duration.between(start, end).compareTo(max) > 0) {
            throw TimeInput.invalid(field, "makes the meeting longer than " + max.toHours() + " hours");
        }
    }

    private void checkConflicts(MeetingDao dao, String hostId, MeetingSchedule schedule, String excludeId) {
        ConflictFinder.Window window = conflicts.window(schedule);
        List<Meeting> candidates = dao.assemble(dao.findHostRowsInWindow(hostId, window.from(), window.to(),
                excludeId));
        List<ConflictFinder.Scheduled> scheduled = new ArrayList<>();
        for (Meeting meeting : candidates) {
            scheduled.add(new ConflictFinder.Scheduled(meeting.id(), meeting.title(), meeting.schedule()));
        }
        List<ConflictFinder.Conflict> found = conflicts.find(schedule, scheduled);
        if (!found.isEmpty()) {
            List<Map<String, Object>> listed = new ArrayList<>();
            for (ConflictFinder.Conflict conflict : found) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("meeting_id", conflict.meetingId());
                entry.put("title", conflict.title());
                entry.put("start_time", conflict.startTime().toString());
                entry.put("end_time", conflict.endTime().toString());
                listed.add(entry);
            }
            throw new ApiException(409, "meeting_conflict", "The host already has " + found.size()
                    + (found.size() == 1 ? " meeting" : " meetings") + " at that time; send allow_overlap: true "
                    + "to schedule it anyway.", Map.of("conflicts", listed));
        }
    }

    /**
     * Turns request entries into invitees: defaults roles by kind, checks roles fit the kind and that user ids
     * name accounts, drops the host and repeated entries (first one wins).
     */
    List<Invitee> resolveInvitees(MeetingKind kind, List<ParticipantSpec> specs, String hostId) {
        Set<String> userIds = new LinkedHashSet<>();
        for (ParticipantSpec spec : specs) {
            if (spec.userId() != null) {
                userIds.add(spec.userId());
            }
        }
        Set<String> known = userIds.isEmpty() ? Set.of() : users.findAll(userIds).keySet();
        MeetingRole defaultRole = kind == MeetingKind.TOWN_HALL ? MeetingRole.ATTENDEE : MeetingRole.PARTICIPANT;
        Map<String, Invitee> invitees = new LinkedHashMap<>();
        for (ParticipantSpec spec : specs) {
            MeetingRole role = spec.role() != null ? spec.role() : defaultRole;
            checkRoleForKind(kind, role, spec.field() + ".role");
            if (spec.userId() != null) {
                if (!known.contains(spec.userId())) {
                    throw TimeInput.invalid(spec.field(), "is not a known user id");
                }
                if (spec.userId().equals(hostId)) {
                    continue;
                }
            }
            Invitee invitee = spec.userId() != null ? Invitee.user(spec.userId(), role)
                    : Invitee.email(spec.email(), role);
            invitees.putIfAbsent(invitee.identity(), invitee);
        }
        return List.copyOf(invitees.values());
    }

    /** Those in {@code before} that {@code after} no longer invites. */
    static List<Invitee> uninvited(List<Invitee> before, List<Invitee> after) {
        Set<String> kept = new LinkedHashSet<>();
        after.forEach(invitee -> kept.add(invitee.identity()));
        return before.stream().filter(invitee -> !kept.contains(invitee.identity())).toList();
    }

    /** Meetings have co-hosts and participants; town halls have co-hosts, panelists and attendees. */
    static void checkRoleForKind(MeetingKind kind, MeetingRole role, String field) {
        boolean fits = switch (role) {
            case CO_HOST -> true;
            case PARTICIPANT -> kind == MeetingKind.MEETING;
            case PANELIST, ATTENDEE -> kind == MeetingKind.TOWN_HALL;
            case HOST, GUEST -> false;
        };
        if (!fits) {
            throw TimeInput.invalid(field, kind == MeetingKind.TOWN_HALL
                    ? "must be co_host, panelist or attendee in a town hall"
                    : "must be co_host or participant in a meeting");
        }
    }

    private static Set<String> coHosts(List<Invitee> invitees) {
        Set<String> result = new LinkedHashSet<>();
        for (Invitee invitee : invitees) {
            if (invitee.role() == MeetingRole.CO_HOST) {
                result.add(invitee.identity());
            }
        }
        return result;
    }

    private void appendRoleChanges(Handle handle, Meeting before, List<Invitee> after, String changedBy) {
        Map<String, Invitee> previous = new LinkedHashMap<>();
        before.invitees().forEach(invitee -> previous.put(invitee.identity(), invitee));
        for (Invitee invitee : after) {
            Invitee old = previous.get(invitee.identity());
            if (old != null && old.role() != invitee.role()) {
                outbox.append(handle, new ParticipantEvents.RoleChanged(before.id(), invitee.reference(),
                        invitee.role().wireName(), changedBy));
            }
        }
    }

    /** An admin acting on a meeting that is not theirs goes to the audit log (ids only, no personal data). */
    private void recordAdminAction(Handle handle, Caller caller, Meeting meeting, String action,
                                   Map<String, ?> details) {
        if (caller.isAdmin() && !caller.userId().equals(meeting.hostId())) {
            auditLog.record(handle, caller.userId(), action, "meeting", meeting.id(), details);
        }
    }

    private StoredPasscode storedPasscode(String meetingId, String passcode) {
        return new StoredPasscode(secrets.passcodeDigest(meetingId, passcode), secrets.seal(passcode, meetingId));
    }

    /** The meeting's passcode in clear, for its host and co-hosts. */
    public String passcode(Meeting meeting) {
        return secrets.open(meeting.passcode().sealed(), meeting.id());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
