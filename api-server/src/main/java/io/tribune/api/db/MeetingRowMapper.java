package io.tribune.api.db;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Maps a {@code meetings} row. Stateless and thread-safe. */
public final class MeetingRowMapper implements RowMapper<MeetingRow> {

    @Override
    public MeetingRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new MeetingRow(rs.getString("id"), rs.getLong("numeric_id"), rs.getString("kind"),
                rs.getString("host_id"), rs.getString("title"), instant(rs, "start_time"),
                instant(rs, "end_time"), rs.getString("time_zone"), rs.getString("recurrence"),
                instant(rs, "span_start"), instant(rs, "span_end"), rs.getBytes("passcode_digest"),
                rs.getBytes("passcode_sealed"), rs.getBoolean("lobby"), rs.getBoolean("join_before_host"),
                rs.getBoolean("mute_on_entry"), rs.getBoolean("recording_allowed"),
                rs.getBoolean("transcription_allowed"), rs.getInt("max_participants"),
                rs.getBoolean("allow_guests"), rs.getBoolean("auto_record"),
                rs.getInt("recording_retention_days"), rs.getBoolean("auto_captions"), rs.getBoolean("share_summary"),
                rs.getBoolean("personal_room"), rs.getInt("sequence"),
                rs.getString("status"), rs.getBoolean("locked"), rs.getBoolean("guessing_locked"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "cancelled_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
