package io.tribune.api.db;

import io.tribune.api.core.Invitee;
import io.tribune.api.core.MeetingRole;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps a {@code meeting_participants} row to its meeting id and invitee. Stateless and thread-safe. */
public final class InviteeRowMapper implements RowMapper<InviteeRowMapper.MeetingInvitee> {

    /** An invitee and the meeting they are invited to. */
    public record MeetingInvitee(String meetingId, Invitee invitee) {
    }

    @Override
    public MeetingInvitee map(ResultSet rs, StatementContext ctx) throws SQLException {
        MeetingRole role = MeetingRole.parse(rs.getString("role")).orElseThrow();
        return new MeetingInvitee(rs.getString("meeting_id"),
                new Invitee(rs.getString("user_id"), rs.getString("email"), role));
    }
}
