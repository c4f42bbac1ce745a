package io.tribune.api.db;

import io.tribune.api.core.OccurrenceOverride;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps a {@code meeting_occurrence_overrides} row to its meeting id and override. Stateless and thread-safe. */
public final class OverrideRowMapper implements RowMapper<OverrideRowMapper.MeetingOverride> {

    /** An occurrence override and the meeting it belongs to. */
    public record MeetingOverride(String meetingId, OccurrenceOverride override) {
    }

    @Override
    public MeetingOverride map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new MeetingOverride(rs.getString("meeting_id"), new OccurrenceOverride(
                MeetingRowMapper.instant(rs, "occurrence"), rs.getBoolean("cancelled"), rs.getString("title"),
                MeetingRowMapper.instant(rs, "start_time"), MeetingRowMapper.instant(rs, "end_time")));
    }
}
