package io.tribune.api.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;

/** Which meeting is whose personal room. Not thread-safe: confined to its handle. */
public interface PersonalRoomDao {

    @SqlQuery("SELECT meeting_id FROM personal_rooms WHERE user_id = :userId")
    Optional<String> findMeetingId(@Bind("userId") String userId);

    /** Records the room unless the user has one already; returns whether it did. */
    @SqlUpdate("INSERT INTO personal_rooms (user_id, meeting_id, created_at) VALUES (:userId, :meetingId, :now) "
            + "ON CONFLICT (user_id) DO NOTHING")
    boolean insert(@Bind("userId") String userId, @Bind("meetingId") String meetingId, @Bind("now") Instant now);
}
