package io.tribune.api.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.api.redis.RedissonManager;
import io.tribune.events.MediaTaps;
import io.tribune.events.RecordingEvents;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.util.PSQLException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting and stopping a meeting's recording (issue 8). The catalogue row in PostgreSQL is the record (at most one
 * {@code recording} row per meeting, enforced by a unique index, so a second start on any instance is a 409), and
 * the {@code recording.started} / {@code recording.stopped} event goes to the outbox in the same transaction. After
 * the commit the SFU is told at once over Redis, as events' {@link MediaTaps} documents:
 * <pre>
 *   start: SET tribune:meeting:{id}:recording = recording id; PUBLISH sfu-control {"action":"record_start",...}
 *   stop:  DEL tribune:meeting:{id}:recording;                 PUBLISH sfu-control {"action":"record_stop",...}
 * </pre>
 * and everyone in the meeting channel hears {@code recording.started} / {@code recording.stopped} (the red
 * indicator). Who may: the host, co-hosts and admins, only while the meeting's {@code recording_allowed} is on;
 * {@code auto_record} starts a recording when the host or a co-host opens the meeting channel, and
 * {@link RecordingAutoStop} stops it ({@link #stopAutomatically}, by {@value #SYSTEM}) once everyone has left.
 *
 * <p>Thread-safe.
 */
public final class MeetingRecordings {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingRecordings.class);
    private static final String UNIQUE_VIOLATION = "23505";
    static final String ACTIVE_INDEX = "recordings_one_active_idx";
    /** Who stops a recording that nobody stopped: {@code stopped_by}, the event's and the channel's {@code by}. */
    public static final String SYSTEM = "system";
    /** The audit action of a stop by the system (its actor is null, as for every action of the system). */
    public static final String AUDIT_AUTO_STOPPED = "recording.auto_stopped";

    private final Jdbi jdbi;
    private final MeetingScheduler scheduler;
    private final OutboxWriter outbox;
    private final AuditLog auditLog;
    private final RedissonManager redis;
    private final ObjectMapper json;
    private final Duration retention;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public MeetingRecordings(Jdbi jdbi, MeetingScheduler scheduler, OutboxWriter outbox, AuditLog auditLog,
                             RedissonManager redis, ObjectMapper json, Duration retention, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.outbox = Objects.requireNonNull(outbox);
        this.auditLog = Objects.requireNonNull(auditLog);
        this.redis = Objects.requireNonNull(redis);
        this.json = Objects.requireNonNull(json);
        this.retention = Objects.requireNonNull(retention);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Starts recording for a signed-in caller.
     *
     * @throws ApiException 404 for strangers, 403 {@code forbidden} for people who may not record, 403
     *                      {@code recording_not_allowed} when the meeting's settings forbid it, 409
     *                      {@code meeting_cancelled}, 409 {@code already_recording}
     */
    public Recording start(Caller caller, String meetingId) {
        Meeting meeting = permitted(caller, meetingId);
        return startRecording(meeting, caller.userId()).orElseThrow(() -> alreadyRecording(meeting.id()));
    }

    /**
     * Stops the meeting's recording.
     *
     * @throws ApiException as {@link #start} (the setting is not checked: a recording can always be stopped), and
     *                      409 {@code not_recording}
     */
    public Recording stop(Caller caller, String meetingId) {
        MeetingAccess access = MeetingAccess.of(scheduler.get(meetingId), caller).requireView();
        requireRecorder(access);
        return stopRecording(access.meeting().id(), caller.userId(), null).orElseThrow(() -> new ApiException(409,
                "not_recording", "Meeting " + meetingId + " is not being recorded.", Map.of("meeting_id",
                meetingId)));
    }

    /**
     * {@code auto_record}: starts a recording when a host or co-host opens a meeting that asks for one and none is
     * running; empty when nothing was started.
     */
    public Optional<Recording> startAutomatically(String meetingId, String by) {
        Optional<Meeting> meeting = scheduler.find(meetingId);
        if (meeting.isEmpty() || meeting.get().cancelled() || !meeting.get().settings().autoRecord()
                || !meeting.get().settings().recordingAllowed() || active(meetingId).isPresent()) {
            return Optional.empty();
        }
        return startRecording(meeting.get(), by);
    }

    /** Stops the running recording, if any (the meeting ended); empty when none was running. */
    public Optional<Recording> stopIfRecording(String meetingId, String by) {
        return stopRecording(meetingId, by, null);
    }

    /**
     * Stops the running recording of a meeting everyone left ({@link RecordingAutoStop}): the same stop as a
     * host's, by {@value #SYSTEM}, plus an audit entry ({@value #AUDIT_AUTO_STOPPED}, no actor) in its transaction.
     * Idempotent across instances: only the one whose update finds the row {@code recording} stops it; the others
     * get empty.
     *
     * @param emptySince when the last participant left
     * @param grace      how long the meeting then stayed empty before this stop
     */
    public Optional<Recording> stopAutomatically(String meetingId, Instant emptySince, Duration grace) {
        return stopRecording(meetingId, SYSTEM, Map.of("meeting_id", meetingId, "reason", "meeting_empty",
                "empty_since", emptySince.toString(), "grace_seconds", grace.toSeconds()));
    }

    /** The meeting's running recording, if any (from PostgreSQL, the record). */
    public Optional<Recording> active(String meetingId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + RecordingCatalogue.COLUMNS
                        + " FROM recordings WHERE meeting_id = :meeting AND status = 'recording'")
                .bind("meeting", meetingId)
                .map(RecordingCatalogue.MAPPER)
                .findOne());
    }

    /** Whether the meeting is being recorded, as {@link #runningId}. */
    public boolean isRecording(String meetingId) {
        return runningId(meetingId).isPresent();
    }

    /**
     * The running recording's id from the Redis key the SFU reads too: one round trip, for the join path and the
     * channel's welcome (no PostgreSQL query per connection). Empty when Redis cannot answer.
     */
    public Optional<String> runningId(String meetingId) {
        try {
            return Optional.ofNullable(redis.client().<String>getBucket(MediaTaps.recordingKey(meetingId),
                    StringCodec.INSTANCE).get());
        } catch (RuntimeException e) {
            LOG.warn("Could not read the recording state of meeting {}: {}", meetingId, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Stores that a participant was told about the recording (idempotent: the first acknowledgement is kept).
     *
     * @return false when the recording is not one of this meeting's
     */
    public boolean acknowledge(String meetingId, String recordingId, String participantId, String userId,
                               String displayName) {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            boolean exists = handle.createQuery("SELECT 1 FROM recordings WHERE id = :id AND meeting_id = :meeting")
                    .bind("id", recordingId).bind("meeting", meetingId).mapTo(Integer.class).findOne().isPresent();
            if (!exists) {
                return false;
            }
            handle.createUpdate("INSERT INTO recording_consents (recording_id, participant_id, user_id, guest, "
                            + "display_name, acknowledged_at) VALUES (:recording, :participant, :user, :guest, :name, "
                            + ":at) ON CONFLICT DO NOTHING")
                    .bind("recording", recordingId)
                    .bind("participant", participantId)
                    .bind("user", userId)
                    .bind("guest", userId == null)
                    .bind("name", displayName)
                    .bind("at", now)
                    .execute();
            return true;
        });
    }

    /** The meeting's own retention ({@code recording_retention_days}), else the deployment's. */
    private Duration retentionOf(Meeting meeting) {
        int days = meeting.settings().recordingRetentionDays();
        return days > 0 ? Duration.ofDays(days) : retention;
    }

    private Optional<Recording> startRecording(Meeting meeting, String by) {
        Instant now = clock.instant();
        String id = newId();
        Recording started;
        try {
            started = jdbi.inTransaction(handle -> {
                Recording row = handle.createQuery("INSERT INTO recordings (id, meeting_id, host_id, started_by, "
                                + "started_at, status, retention_until, updated_at) VALUES (:id, :meeting, :host, :by, "
                                + ":now, 'recording', :retention, :now) RETURNING " + RecordingCatalogue.COLUMNS)
                        .bind("id", id)
                        .bind("meeting", meeting.id())
                        .bind("host", meeting.hostId())
                        .bind("by", by)
                        .bind("now", now)
                        .bind("retention", now.plus(retentionOf(meeting)))
                        .map(RecordingCatalogue.MAPPER)
                        .one();
                outbox.append(handle, new RecordingEvents.Started(meeting.id(), id, by, now));
                return row;
            });
        } catch (RuntimeException e) {
            if (isActiveConflict(e)) {
                return Optional.empty();
            }
            throw e;
        }
        tapControl(meeting.id(), id, true);
        announce(meeting.id(), json.createObjectNode().put("type", "recording.started").put("recording_id", id)
                .put("by", by).put("started_at", now.toString()));
        return Optional.of(started);
    }

    /** The one stop every path takes; {@code auditDetails} non-null writes the system's audit entry. */
    private Optional<Recording> stopRecording(String meetingId, String by, Map<String, ?> auditDetails) {
        Instant now = clock.instant();
        Optional<Recording> stopped = jdbi.inTransaction(handle -> {
            Optional<Recording> row = handle.createQuery("UPDATE recordings SET status = 'processing', "
                            + "stopped_by = :by, stopped_at = :now, updated_at = :now WHERE meeting_id = :meeting "
                            + "AND status = 'recording' RETURNING " + RecordingCatalogue.COLUMNS)
                    .bind("meeting", meetingId)
                    .bind("by", by)
                    .bind("now", now)
                    .map(RecordingCatalogue.MAPPER)
                    .findOne();
            row.ifPresent(r -> outbox.append(handle, new RecordingEvents.Stopped(meetingId, r.id(), by, now)));
            if (row.isPresent() && auditDetails != null) {
                auditLog.record(handle, null, AUDIT_AUTO_STOPPED, "recording", row.get().id(), auditDetails);
            }
            return row;
        });
        // The key goes even when no row was running: a key left behind by a crash must not keep the tap on.
        tapControl(meetingId, stopped.map(Recording::id).orElse(null), false);
        stopped.ifPresent(r -> announce(meetingId, json.createObjectNode().put("type", "recording.stopped")
                .put("recording_id", r.id()).put("by", by)));
        return stopped;
    }

    private Meeting permitted(Caller caller, String meetingId) {
        MeetingAccess access = MeetingAccess.of(scheduler.get(meetingId), caller).requireView();
        requireRecorder(access);
        Meeting meeting = access.meeting();
        if (meeting.cancelled()) {
            throw MeetingErrors.cancelled(meeting.id());
        }
        if (!meeting.settings().recordingAllowed()) {
            throw new ApiException(403, "recording_not_allowed", "This meeting's settings do not allow recording.",
                    Map.of("meeting_id", meeting.id()));
        }
        return meeting;
    }

    private static void requireRecorder(MeetingAccess access) {
        if (!access.canModerate() && !access.caller().isAdmin()) {
            throw MeetingErrors.forbidden(access.meeting().id(),
                    "Only the host, co-hosts and admins may start or stop recording.");
        }
    }

    private static ApiException alreadyRecording(String meetingId) {
        return new ApiException(409, "already_recording", "Meeting " + meetingId + " is being recorded already.",
                Map.of("meeting_id", meetingId));
    }

    /**
     * SETs or DELs the recording key and PUBLISHes the command on the room's sfu-control channel. A Redis failure
     * is logged, not thrown: the recording is committed, and an SFU node reads the key when it next opens the room.
     */
    private void tapControl(String meetingId, String recordingId, boolean on) {
        try {
            var key = redis.client().getBucket(MediaTaps.recordingKey(meetingId), StringCodec.INSTANCE);
            if (on) {
                key.set(recordingId);
            } else {
                key.delete();
            }
            if (recordingId != null) {
                ObjectNode command = json.createObjectNode()
                        .put("action", on ? MediaTaps.RECORD_START : MediaTaps.RECORD_STOP)
                        .put("recording_id", recordingId);
                redis.client().getTopic(RedisKeys.sfuControl(meetingId), StringCodec.INSTANCE)
                        .publish(command.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not tell the SFU to turn meeting {}'s media tap {}: {}", meetingId, on ? "on" : "off",
                    e.toString());
        }
    }

    /** Publishes an event to the meeting channel's topic (what every instance's members hear). */
    private void announce(String meetingId, ObjectNode event) {
        try {
            redis.client().getTopic(RedisKeys.channelTopic(meetingId), StringCodec.INSTANCE)
                    .publish(event.toString());
        } catch (RuntimeException e) {
            LOG.warn("Could not announce {} in meeting {}: {}", event.path("type").asText(), meetingId,
                    e.toString());
        }
    }

    private static boolean isActiveConflict(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PSQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && sql.getServerErrorMessage() != null
                    && ACTIVE_INDEX.equals(sql.getServerErrorMessage().getConstraint())) {
                return true;
            }
        }
        return false;
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** For tests and tools: the handle-level insert is not exposed; this reads one row. */
    static Optional<Recording> find(Handle handle, String id) {
        return handle.createQuery("SELECT " + RecordingCatalogue.COLUMNS + " FROM recordings WHERE id = :id")
                .bind("id", id).map(RecordingCatalogue.MAPPER).findOne();
    }
}
