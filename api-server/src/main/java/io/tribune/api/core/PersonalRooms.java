package io.tribune.api.core;

import io.tribune.api.db.MeetingDao;
import io.tribune.api.db.PersonalRoomDao;
import org.jdbi.v3.core.Jdbi;

import java.util.Objects;
import java.util.Optional;

/**
 * Each person's permanent meeting room: made on first use (a meeting with no schedule, passcode and lobby on),
 * then always the same meeting id, number and link. Creation is serialized per person with an advisory lock, so
 * two first uses at once still make one room. Thread-safe (stateless).
 */
public final class PersonalRooms {

    private final Jdbi jdbi;
    private final MeetingScheduler scheduler;

    public PersonalRooms(Jdbi jdbi, MeetingScheduler scheduler) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.scheduler = Objects.requireNonNull(scheduler);
    }

    /** The room of {@code owner}, created now if they have none. */
    public Meeting roomOf(Caller owner) {
        return jdbi.inTransaction(handle -> {
            handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:key))) AS locked")
                    .bind("key", "personal-room:" + owner.userId())
                    .mapTo(Integer.class)
                    .one();
            PersonalRoomDao rooms = handle.attach(PersonalRoomDao.class);
            Optional<String> existing = rooms.findMeetingId(owner.userId());
            if (existing.isPresent()) {
                return handle.attach(MeetingDao.class).find(existing.get()).orElseThrow();
            }
            Meeting room = scheduler.insertPersonalRoom(handle, owner);
            rooms.insert(owner.userId(), room.id(), room.createdAt());
            return room;
        });
    }
}
