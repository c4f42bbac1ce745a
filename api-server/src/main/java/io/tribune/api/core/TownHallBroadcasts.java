package io.tribune.api.core;

import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.MeetingEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts and stops town halls' broadcasts (hosts and co-hosts only), with the state in PostgreSQL
 * ({@code broadcasts}) and, in the same transaction, a {@code meeting.broadcast_started|stopped} event in the
 * outbox. Starting a live broadcast again, or stopping a stopped one, changes nothing and records nothing; a
 * stopped broadcast may be started again. After the transaction commits, every start and stop (a repeated one too,
 * which repairs a lost write) is announced over Redis to the transcoders ({@link BroadcastAnnouncer}). Thread-safe.
 */
public final class TownHallBroadcasts {

    /** A broadcast's state as clients see it. */
    public enum State {
        IDLE, LIVE, STOPPED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The broadcast of one town hall; the times and people are null until they happened. */
    public record Broadcast(String meetingId, State state, Instant startedAt, String startedBy, Instant stoppedAt,
                            String stoppedBy) {
    }

    /** A start or stop: the broadcast after it, and whether this call changed anything. */
    public record Change(Broadcast broadcast, boolean changed) {
    }

    private static final String COLUMNS = "meeting_id, state, started_at, started_by, stopped_at, stopped_by";
    private static final RowMapper<Broadcast> MAPPER = (rs, ctx) -> new Broadcast(rs.getString("meeting_id"),
            "live".equals(rs.getString("state")) ? State.LIVE : State.STOPPED, instant(rs.getTimestamp("started_at")),
            rs.getString("started_by"), instant(rs.getTimestamp("stopped_at")), rs.getString("stopped_by"));

    private final Jdbi jdbi;
    private final MeetingScheduler scheduler;
    private final MeetingLinks links;
    private final OutboxWriter outbox;
    private final BroadcastAnnouncer announcer;
    private final Clock clock;

    public TownHallBroadcasts(Jdbi jdbi, MeetingScheduler scheduler, MeetingLinks links, OutboxWriter outbox,
                              BroadcastAnnouncer announcer, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.links = Objects.requireNonNull(links);
        this.outbox = Objects.requireNonNull(outbox);
        this.announcer = Objects.requireNonNull(announcer);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The town hall's broadcast for someone who may see the meeting (404 otherwise, 409 for a plain meeting). */
    public Broadcast get(Caller caller, String meetingId) {
        Meeting meeting = townHall(MeetingAccess.of(scheduler.get(meetingId), caller).requireView().meeting());
        return state(meeting.id());
    }

    /** The broadcast's state, without an access check (for the meeting channel, whose members were let in). */
    public Broadcast state(String meetingId) {
        return jdbi.withHandle(handle -> find(handle, meetingId))
                .orElse(new Broadcast(meetingId, State.IDLE, null, null, null, null));
    }

    /**
     * Goes live.
     *
     * @throws ApiException 404 for strangers, 403 for invitees who do not moderate, 409 for a meeting that is no
     *                      town hall or is cancelled
     */
    public Change start(Caller caller, String meetingId) {
        Meeting meeting = moderated(caller, meetingId);
        Instant now = clock.instant();
        Change change = jdbi.inTransaction(handle -> {
            Optional<Broadcast> current = lock(handle, meeting.id());
            if (current.filter(b -> b.state() == State.LIVE).isPresent()) {
                return new Change(current.get(), false);
            }
            Broadcast live = handle.createQuery("INSERT INTO broadcasts (meeting_id, state, started_at, started_by) "
                            + "VALUES (:id, 'live', :now, :by) ON CONFLICT (meeting_id) DO UPDATE SET state = 'live', "
                            + "started_at = :now, started_by = :by, stopped_at = NULL, stopped_by = NULL "
                            + "RETURNING " + COLUMNS)
                    .bind("id", meeting.id())
                    .bind("now", now)
                    .bind("by", caller.userId())
                    .map(MAPPER)
                    .one();
            outbox.append(handle, new MeetingEvents.BroadcastStarted(meeting.id(), links.hlsUrl(meeting.id()), now,
                    caller.userId()));
            return new Change(live, true);
        });
        announcer.announce(meeting.id(), true);
        return change;
    }

    /**
     * Stops the broadcast.
     *
     * @throws ApiException as {@link #start}, and 409 {@code broadcast_not_live} when it was never started
     */
    public Change stop(Caller caller, String meetingId) {
        Meeting meeting = moderated(caller, meetingId);
        Instant now = clock.instant();
        Change change = jdbi.inTransaction(handle -> {
            Optional<Broadcast> current = lock(handle, meeting.id());
            if (current.isEmpty()) {
                throw new ApiException(409, "broadcast_not_live", "This town hall's broadcast has not started.",
                        Map.of("meeting_id", meeting.id(), "state", State.IDLE.wireName()));
            }
            if (current.get().state() == State.STOPPED) {
                return new Change(current.get(), false);
            }
            Broadcast stopped = handle.createQuery("UPDATE broadcasts SET state = 'stopped', stopped_at = :now, "
                            + "stopped_by = :by WHERE meeting_id = :id RETURNING " + COLUMNS)
                    .bind("id", meeting.id())
                    .bind("now", now)
                    .bind("by", caller.userId())
                    .map(MAPPER)
                    .one();
            outbox.append(handle, new MeetingEvents.BroadcastStopped(meeting.id(), now, caller.userId()));
            return new Change(stopped, true);
        });
        announcer.announce(meeting.id(), false);
        return change;
    }

    private Meeting moderated(Caller caller, String meetingId) {
        Meeting meeting = MeetingAccess.of(scheduler.get(meetingId), caller).requireView().meeting();
        townHall(meeting);
        if (!MeetingAccess.of(meeting, caller).canModerate()) {
            throw MeetingErrors.forbidden(meeting.id(), "Only the host and co-hosts may start or stop the broadcast.");
        }
        if (meeting.cancelled()) {
            throw MeetingErrors.cancelled(meeting.id());
        }
        return meeting;
    }

    private static Meeting townHall(Meeting meeting) {
        if (meeting.kind() != MeetingKind.TOWN_HALL) {
            throw new ApiException(409, "not_a_town_hall", "Only town halls are broadcast; this is a meeting.",
                    Map.of("meeting_id", meeting.id(), "kind", "meeting"));
        }
        return meeting;
    }

    /**
     * The row, read under a transaction-scoped advisory lock on the meeting, so that concurrent starts and stops
     * (also the first start, when there is no row to lock yet) apply one after the other.
     */
    private static Optional<Broadcast> lock(Handle handle, String meetingId) {
        handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('broadcast:' || :id))) AS locked")
                .bind("id", meetingId)
                .mapTo(Integer.class)
                .one();
        return handle.createQuery("SELECT " + COLUMNS + " FROM broadcasts WHERE meeting_id = :id")
                .bind("id", meetingId)
                .map(MAPPER)
                .findOne();
    }

    private static Optional<Broadcast> find(Handle handle, String meetingId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM broadcasts WHERE meeting_id = :id")
                .bind("id", meetingId)
                .map(MAPPER)
                .findOne();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
