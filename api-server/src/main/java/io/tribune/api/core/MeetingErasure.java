package io.tribune.api.core;

import io.tribune.api.db.CalendarFeedDao;
import io.tribune.api.db.MeetingDao;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.ParticipantEvents;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What erasing an account does to meetings, inside the erasure transaction: each scheduled meeting the account
 * hosts passes to its first co-host who has a live account (who becomes host and is no longer listed as a
 * co-host), or is cancelled when there is none; its personal room is cancelled; its invitations (by account and
 * by its email address) are removed from every meeting, which raises those meetings' SEQUENCE; its calendar feed
 * is deleted. Each change emits its event through the outbox, in the same transaction.
 *
 * <p>Thread-safe (stateless).
 */
public final class MeetingErasure implements UserErasureListener {

    private final OutboxWriter outbox;
    private final MeetingEventFactory events;
    private final Clock clock;

    public MeetingErasure(OutboxWriter outbox, UserDirectory users, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox);
        this.events = new MeetingEventFactory(users);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public void onErase(Handle handle, UUID userId, UUID erasedBy) {
        String erased = userId.toString();
        String email = handle.createQuery("SELECT email FROM users WHERE id = :id")
                .bind("id", userId)
                .mapTo(String.class)
                .findOne()
                .orElse(null);
        MeetingDao dao = handle.attach(MeetingDao.class);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (Meeting meeting : dao.assemble(dao.findRowsHostedBy(erased))) {
            if (meeting.cancelled()) {
                continue;
            }
            Optional<Invitee> successor = meeting.personalRoom() ? Optional.empty() : successor(handle, meeting);
            if (successor.isPresent()) {
                handOver(handle, dao, meeting, successor.get(), erasedBy, now);
            } else {
                Meeting cancelled = copy(meeting, meeting.hostId(), meeting.invitees(), MeetingStatus.CANCELLED, now);
                dao.update(cancelled, now);
                if (!meeting.personalRoom()) {
                    outbox.append(handle, events.cancelled(cancelled, null));
                }
            }
        }
        Set<String> invitedTo = new LinkedHashSet<>(dao.deleteInvitationsOf(erased, email));
        for (Meeting meeting : dao.findAll(invitedTo)) {
            if (meeting.cancelled()) {
                continue;
            }
            Meeting updated = copy(meeting, meeting.hostId(), meeting.invitees(), meeting.status(), now);
            dao.update(updated, null);
            outbox.append(handle, events.updated(updated, null, null));
        }
        handle.attach(CalendarFeedDao.class).delete(erased);
    }

    /** The first co-host with a live account. */
    private static Optional<Invitee> successor(Handle handle, Meeting meeting) {
        for (Invitee invitee : meeting.invitees()) {
            if (invitee.role() == MeetingRole.CO_HOST && invitee.userId() != null && isLive(handle, invitee.userId())) {
                return Optional.of(invitee);
            }
        }
        return Optional.empty();
    }

    private static boolean isLive(Handle handle, String userId) {
        UUID id;
        try {
            id = UUID.fromString(userId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return handle.createQuery("SELECT count(*) FROM users WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .mapTo(Integer.class)
                .one() > 0;
    }

    private void handOver(Handle handle, MeetingDao dao, Meeting meeting, Invitee successor, UUID erasedBy,
                          Instant now) {
        List<Invitee> remaining = new ArrayList<>(meeting.invitees());
        remaining.removeIf(invitee -> invitee.identity().equals(successor.identity()));
        Meeting handedOver = copy(meeting, successor.userId(), remaining, meeting.status(), now);
        dao.update(handedOver, null);
        dao.replaceInvitees(meeting.id(), remaining, now);
        outbox.append(handle, new ParticipantEvents.RoleChanged(meeting.id(), successor.userId(),
                MeetingRole.HOST.wireName(), erasedBy.toString()));
        outbox.append(handle, events.updated(handedOver, null, null));
    }

    private static Meeting copy(Meeting meeting, String hostId, List<Invitee> invitees, MeetingStatus status,
                                Instant now) {
        return new Meeting(meeting.id(), meeting.numericId(), meeting.kind(), hostId, meeting.title(),
                meeting.schedule(), meeting.settings(), meeting.personalRoom(), meeting.sequence() + 1, status,
                meeting.locked(), meeting.guessingLocked(), meeting.passcode(), invitees, meeting.createdAt(), now);
    }
}
