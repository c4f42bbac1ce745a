package io.tribune.api.db;

import io.tribune.api.core.Invitee;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.OccurrenceOverride;
import io.tribune.api.db.InviteeRowMapper.MeetingInvitee;
import io.tribune.api.db.OverrideRowMapper.MeetingOverride;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meetings, their invitees and occurrence overrides. Attach it to the handle of the transaction it works in
 * ({@code handle.attach(MeetingDao.class)}); the default methods assemble domain {@link Meeting}s from rows.
 * Not thread-safe: confined to its handle.
 */
@RegisterRowMapper(MeetingRowMapper.class)
@RegisterRowMapper(InviteeRowMapper.class)
@RegisterRowMapper(OverrideRowMapper.class)
public interface MeetingDao extends SqlObject {

    String COLUMNS = "id, numeric_id, kind, host_id, title, start_time, end_time, time_zone, recurrence, "
            + "span_start, span_end, passcode_digest, passcode_sealed, lobby, join_before_host, mute_on_entry, "
            + "recording_allowed, transcription_allowed, max_participants, allow_guests, auto_record, "
            + "recording_retention_days, auto_captions, share_summary, personal_room, sequence, status, locked, "
            + "guessing_locked, created_at, updated_at, cancelled_at";

    /** Inserts unless the id or numeric id is taken; returns whether it did (callers retry with new ids). */
    @SqlUpdate("INSERT INTO meetings (" + COLUMNS + ") VALUES (:id, :numericId, :kind, :hostId, :title, "
            + ":startTime, :endTime, :timeZone, :recurrence, :spanStart, :spanEnd, :passcodeDigest, "
            + ":passcodeSealed, :lobby, :joinBeforeHost, :muteOnEntry, :recordingAllowed, :transcriptionAllowed, "
            + ":maxParticipants, :allowGuests, :autoRecord, :recordingRetentionDays, :autoCaptions, :shareSummary, "
            + ":personalRoom, :sequence, :status, :locked, :guessingLocked, "
            + ":createdAt, :updatedAt, :cancelledAt) ON CONFLICT DO NOTHING")
    boolean insertRow(@BindMethods MeetingRow row);

    @SqlUpdate("UPDATE meetings SET host_id = :hostId, title = :title, start_time = :startTime, "
            + "end_time = :endTime, time_zone = :timeZone, recurrence = :recurrence, span_start = :spanStart, "
            + "span_end = :spanEnd, passcode_digest = :passcodeDigest, passcode_sealed = :passcodeSealed, "
            + "lobby = :lobby, join_before_host = :joinBeforeHost, mute_on_entry = :muteOnEntry, "
            + "recording_allowed = :recordingAllowed, transcription_allowed = :transcriptionAllowed, "
            + "max_participants = :maxParticipants, allow_guests = :allowGuests, auto_record = :autoRecord, "
            + "recording_retention_days = :recordingRetentionDays, auto_captions = :autoCaptions, "
            + "share_summary = :shareSummary, "
            + "sequence = :sequence, status = :status, locked = :locked, guessing_locked = :guessingLocked, "
            + "updated_at = :updatedAt, cancelled_at = :cancelledAt WHERE id = :id")
    int updateRow(@BindMethods MeetingRow row);

    @SqlQuery("SELECT " + COLUMNS + " FROM meetings WHERE id = :id")
    Optional<MeetingRow> findRow(@Bind("id") String id);

    /** The row, locked until the end of the transaction (edits read, check and write under it). */
    @SqlQuery("SELECT " + COLUMNS + " FROM meetings WHERE id = :id FOR UPDATE")
    Optional<MeetingRow> findRowForUpdate(@Bind("id") String id);

    @SqlQuery("SELECT " + COLUMNS + " FROM meetings WHERE numeric_id = :numericId")
    Optional<MeetingRow> findRowByNumericId(@Bind("numericId") long numericId);

    /** A host's scheduled meetings (personal rooms aside) with an occurrence that may overlap [from, to). */
    @SqlQuery("SELECT " + COLUMNS + " FROM meetings WHERE host_id = :hostId AND status = 'scheduled' "
            + "AND NOT personal_room AND span_start < :to AND span_end > :from AND id <> :excludeId "
            + "ORDER BY span_start, id")
    List<MeetingRow> findHostRowsInWindow(@Bind("hostId") String hostId, @Bind("from") Instant from,
                                          @Bind("to") Instant to, @Bind("excludeId") String excludeId);

    /**
     * Scheduled meetings (personal rooms aside) a person hosts or is invited to (by user id, or by email when
     * {@code email} is not null) that may have an occurrence in [from, to).
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM meetings m WHERE m.status = 'scheduled' AND NOT m.personal_room "
            + "AND m.span_start < :to AND m.span_end > :from AND (m.host_id = :userId OR EXISTS ("
            + "SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id AND (p.user_id = :userId "
            + "OR (CAST(:email AS text) IS NOT NULL AND lower(p.email) = lower(CAST(:email AS text)))))) "
            + "ORDER BY m.span_start, m.id")
    List<MeetingRow> findRowsForPerson(@Bind("userId") String userId, @Bind("email") String email,
                                       @Bind("from") Instant from, @Bind("to") Instant to);

    /** Meetings (cancelled ones and personal rooms included) that a person hosts. */
    @SqlQuery("SELECT " + COLUMNS + " FROM meetings WHERE host_id = :hostId ORDER BY created_at, id")
    List<MeetingRow> findRowsHostedBy(@Bind("hostId") String hostId);

    /** Ids of meetings a person is invited to by user id or email, whatever their state. */
    @SqlQuery("SELECT DISTINCT meeting_id FROM meeting_participants WHERE user_id = :userId "
            + "OR (CAST(:email AS text) IS NOT NULL AND lower(email) = lower(CAST(:email AS text)))")
    List<String> findInvitedMeetingIds(@Bind("userId") String userId, @Bind("email") String email);

    @SqlQuery("SELECT " + COLUMNS + " FROM meetings WHERE id IN (<ids>)")
    List<MeetingRow> findRows(@BindList("ids") Collection<String> ids);

    @SqlQuery("SELECT meeting_id, user_id, email, role FROM meeting_participants WHERE meeting_id IN (<ids>) "
            + "ORDER BY meeting_id, position")
    List<MeetingInvitee> findInvitees(@BindList("ids") Collection<String> ids);

    @SqlQuery("SELECT meeting_id, occurrence, cancelled, title, start_time, end_time "
            + "FROM meeting_occurrence_overrides WHERE meeting_id IN (<ids>) ORDER BY meeting_id, occurrence")
    List<MeetingOverride> findOverrides(@BindList("ids") Collection<String> ids);

    @SqlUpdate("DELETE FROM meeting_participants WHERE meeting_id = :meetingId")
    void deleteInvitees(@Bind("meetingId") String meetingId);

    @SqlBatch("INSERT INTO meeting_participants (meeting_id, position, user_id, email, role, added_at) "
            + "VALUES (:meetingId, :position, :userId, :email, :role, :addedAt)")
    void insertInvitees(@Bind("meetingId") String meetingId, @Bind("position") List<Integer> positions,
                        @Bind("userId") List<String> userIds, @Bind("email") List<String> emails,
                        @Bind("role") List<String> roles, @Bind("addedAt") Instant addedAt);

    @SqlUpdate("DELETE FROM meeting_occurrence_overrides WHERE meeting_id = :meetingId")
    void deleteOverrides(@Bind("meetingId") String meetingId);

    @SqlUpdate("INSERT INTO meeting_occurrence_overrides (meeting_id, occurrence, cancelled, title, start_time, "
            + "end_time, updated_at) VALUES (:meetingId, :occurrence, :cancelled, :title, :startTime, :endTime, "
            + ":updatedAt) ON CONFLICT (meeting_id, occurrence) DO UPDATE SET cancelled = EXCLUDED.cancelled, "
            + "title = EXCLUDED.title, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, "
            + "updated_at = EXCLUDED.updated_at")
    void upsertOverride(@Bind("meetingId") String meetingId, @BindMethods OccurrenceOverride override,
                        @Bind("updatedAt") Instant updatedAt);

    /** Removes a person's invitations (by user id or email address); returns the meeting ids they were in. */
    @SqlQuery("DELETE FROM meeting_participants WHERE user_id = :userId "
            + "OR (CAST(:email AS text) IS NOT NULL AND lower(email) = lower(CAST(:email AS text))) "
            + "RETURNING meeting_id")
    List<String> deleteInvitationsOf(@Bind("userId") String userId, @Bind("email") String email);

    /** Refuses joins by passcode until a host unlocks (too many wrong passcodes were tried). */
    @SqlUpdate("UPDATE meetings SET guessing_locked = true WHERE id = :id AND NOT guessing_locked")
    void lockAgainstGuessing(@Bind("id") String id);

    /** Serializes schedule changes of one host until the transaction ends (conflict checks, then writes). */
    @SqlQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:hostId))) AS locked")
    int lockHost(@Bind("hostId") String hostId);

    // --- Assembling domain meetings -----------------------------------------------------------------------

    default boolean insert(Meeting meeting) {
        if (!insertRow(MeetingRow.of(meeting, null))) {
            return false;
        }
        replaceInvitees(meeting.id(), meeting.invitees(), meeting.createdAt());
        return true;
    }

    default void update(Meeting meeting, Instant cancelledAt) {
        updateRow(MeetingRow.of(meeting, cancelledAt));
    }

    default void replaceInvitees(String meetingId, List<Invitee> invitees, Instant now) {
        deleteInvitees(meetingId);
        if (invitees.isEmpty()) {
            return;
        }
        List<Integer> positions = new ArrayList<>();
        List<String> userIds = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < invitees.size(); i++) {
            Invitee invitee = invitees.get(i);
            positions.add(i);
            userIds.add(invitee.userId());
            emails.add(invitee.email());
            roles.add(invitee.role().wireName());
        }
        insertInvitees(meetingId, positions, userIds, emails, roles, now);
    }

    default Optional<Meeting> find(String id) {
        return findRow(id).map(row -> assemble(List.of(row)).get(0));
    }

    default Optional<Meeting> findForUpdate(String id) {
        return findRowForUpdate(id).map(row -> assemble(List.of(row)).get(0));
    }

    default Optional<Meeting> findByNumericId(long numericId) {
        return findRowByNumericId(numericId).map(row -> assemble(List.of(row)).get(0));
    }

    default List<Meeting> findAll(Collection<String> ids) {
        return ids.isEmpty() ? List.of() : assemble(findRows(ids));
    }

    /** Domain meetings for {@code rows}, in the same order, with their invitees and overrides. */
    default List<Meeting> assemble(List<MeetingRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(MeetingRow::id).toList();
        Map<String, List<Invitee>> invitees = new LinkedHashMap<>();
        for (MeetingInvitee row : findInvitees(ids)) {
            invitees.computeIfAbsent(row.meetingId(), id -> new ArrayList<>()).add(row.invitee());
        }
        Map<String, List<OccurrenceOverride>> overrides = new LinkedHashMap<>();
        for (MeetingOverride row : findOverrides(ids)) {
            overrides.computeIfAbsent(row.meetingId(), id -> new ArrayList<>()).add(row.override());
        }
        List<Meeting> meetings = new ArrayList<>(rows.size());
        for (MeetingRow row : rows) {
            meetings.add(row.toMeeting(invitees.getOrDefault(row.id(), List.of()),
                    overrides.getOrDefault(row.id(), List.of())));
        }
        return meetings;
    }
}
