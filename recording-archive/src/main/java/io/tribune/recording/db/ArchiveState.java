package io.tribune.recording.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The archive's working state in schema {@code recording_archive} (see {@code V1__working_state.sql}): recordings,
 * per-track progress and multipart uploads in progress. Plain JDBC, one statement per call. Thread-safe.
 */
public final class ArchiveState {

    private static final String S = ArchiveMigrations.SCHEMA + ".";

    /** A track's row as the archive left it. */
    public record TrackRow(String recordingId, String trackId, String meetingId, String kind, String codec,
                           String participantId, String displayName, String source, String status,
                           String objectKey, String contentType, long sizeBytes, String sha256, long durationMillis,
                           String reason, Long mediaStartMicros) {
    }

    /** A recording's row. */
    public record RecordingRow(String recordingId, String meetingId, String status, Instant stoppedAt) {
    }

    /** A multipart upload a process started and did not finish; {@code uploadId} null if it died before S3 answered. */
    public record UploadRow(long id, String uploadId, String bucket, String objectKey) {
    }

    private final DataSource dataSource;

    public ArchiveState(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void recordingStarted(String recordingId, String meetingId, Instant startedAt) throws SQLException {
        update("INSERT INTO " + S + "recordings (recording_id, meeting_id, started_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (recording_id) DO UPDATE SET started_at = COALESCE("
                + S + "recordings.started_at, EXCLUDED.started_at)", recordingId, meetingId, ts(startedAt));
    }

    /** Marks it stopped at {@code stoppedAt} unless it was already stopped or completed. */
    public void recordingStopped(String recordingId, String meetingId, Instant stoppedAt) throws SQLException {
        update("INSERT INTO " + S + "recordings (recording_id, meeting_id, stopped_at, status) VALUES (?, ?, ?,"
                + " 'stopped') ON CONFLICT (recording_id) DO UPDATE SET stopped_at = COALESCE("
                + S + "recordings.stopped_at, EXCLUDED.stopped_at), status = CASE WHEN " + S
                + "recordings.status = 'recording' THEN 'stopped' ELSE " + S + "recordings.status END,"
                + " updated_at = now()", recordingId, meetingId, ts(stoppedAt));
    }

    /** Recordings stopped but not yet reported. */
    public List<RecordingRow> stoppedRecordings() throws SQLException {
        List<RecordingRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT recording_id, meeting_id, status, stopped_at FROM "
                     + S + "recordings WHERE status = 'stopped' ORDER BY stopped_at")) {
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RecordingRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4))));
                }
            }
        }
        return rows;
    }

    public Optional<RecordingRow> recording(String recordingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT recording_id, meeting_id, status, stopped_at FROM "
                     + S + "recordings WHERE recording_id = ?")) {
            st.setString(1, recordingId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new RecordingRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4)))) : Optional.empty();
            }
        }
    }

    /** After its event was acknowledged: {@code ready} or {@code failed}. */
    public void recordingCompleted(String recordingId, String status, String reason) throws SQLException {
        update("UPDATE " + S + "recordings SET status = ?, reason = ?, updated_at = now() WHERE recording_id = ?",
                status, reason, recordingId);
    }

    /** The recording's tracks are stored: it waits for (or is in) its render. Clears a previous claim. */
    public void recordingRendering(String recordingId) throws SQLException {
        update("UPDATE " + S + "recordings SET status = 'rendering', render_owner = NULL, render_heartbeat = NULL,"
                + " updated_at = now() WHERE recording_id = ? AND status = 'stopped'", recordingId);
    }

    /**
     * Claims, for {@code owner}, every recording waiting for its render whose claim is free or stale (no heartbeat
     * since {@code staleBefore}: its renderer died). Atomic per row, so two instances never claim the same one.
     */
    public List<RecordingRow> claimRenders(String owner, Instant staleBefore, int limit) throws SQLException {
        List<RecordingRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE " + S + "recordings SET render_owner = ?,"
                     + " render_heartbeat = now() WHERE recording_id IN (SELECT recording_id FROM " + S
                     + "recordings WHERE status = 'rendering' AND (render_owner IS NULL OR render_heartbeat IS NULL"
                     + " OR render_heartbeat < ?) ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                     + " RETURNING recording_id, meeting_id, status, stopped_at")) {
            st.setString(1, owner);
            st.setTimestamp(2, ts(staleBefore));
            st.setInt(3, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RecordingRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4))));
                }
            }
        }
        return rows;
    }

    /** Renews {@code owner}'s claim; false if the row is no longer rendering or was claimed by another. */
    public boolean renderHeartbeat(String recordingId, String owner) throws SQLException {
        return update("UPDATE " + S + "recordings SET render_heartbeat = now() WHERE recording_id = ?"
                + " AND status = 'rendering' AND render_owner = ?", recordingId, owner) == 1;
    }

    /** Counts a failed render attempt; returns the attempts so far. */
    public int renderFailed(String recordingId, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE " + S + "recordings SET render_attempts ="
                     + " render_attempts + 1, reason = ?, updated_at = now() WHERE recording_id = ?"
                     + " RETURNING render_attempts")) {
            st.setString(1, reason);
            st.setString(2, recordingId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Failed render attempts so far. */
    public int renderAttempts(String recordingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT render_attempts FROM " + S
                     + "recordings WHERE recording_id = ?")) {
            st.setString(1, recordingId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Opens (or reopens, after a restart) a track; false if it was already closed, so its packets are skipped. */
    public boolean openTrack(String recordingId, String trackId, String meetingId, String kind, String codec,
                             String participantId, String displayName, String source) throws SQLException {
        int changed = update("INSERT INTO " + S + "tracks (recording_id, track_id, meeting_id, kind, codec,"
                        + " participant_id, display_name, source, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')"
                        + " ON CONFLICT (recording_id, track_id) DO UPDATE SET opened_at = now()"
                        + " WHERE " + S + "tracks.status = 'open'",
                recordingId, trackId, meetingId, kind, codec, participantId, displayName, source);
        return changed == 1;
    }

    /**
     * Closes a track with its outcome and counters; {@code mediaStartMicros} is the SFU arrival time of its first
     * frame (null when none was written).
     */
    public void closeTrack(String recordingId, String trackId, String status, String objectKey, String contentType,
                           long sizeBytes, String sha256, long durationMillis, long packets, long lost, long late,
                           long duplicates, long framesDropped, String reason, Long mediaStartMicros)
            throws SQLException {
        update("UPDATE " + S + "tracks SET status = ?, object_key = ?, content_type = ?, size_bytes = ?, sha256 = ?,"
                        + " duration_ms = ?, packets = ?, packets_lost = ?, packets_late = ?, packets_duplicate = ?,"
                        + " frames_dropped = ?, reason = ?, media_start_us = ?, closed_at = now()"
                        + " WHERE recording_id = ? AND track_id = ?",
                status, objectKey, contentType, sizeBytes, sha256, durationMillis, packets, lost, late, duplicates,
                framesDropped, reason, mediaStartMicros, recordingId, trackId);
    }

    public List<TrackRow> tracks(String recordingId) throws SQLException {
        List<TrackRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT recording_id, track_id, meeting_id, kind, codec,"
                     + " participant_id, display_name, source, status, object_key, content_type, size_bytes, sha256,"
                     + " duration_ms, reason, media_start_us FROM " + S + "tracks WHERE recording_id = ?"
                     + " ORDER BY opened_at, track_id")) {
            st.setString(1, recordingId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TrackRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11), rs.getLong(12), rs.getString(13), rs.getLong(14),
                            rs.getString(15), (Long) rs.getObject(16)));
                }
            }
        }
        return rows;
    }

    /** Before an upload is created: returns the row's id. */
    public long uploadIntended(String bucket, String objectKey, String recordingId, String trackId)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO " + S + "uploads (bucket, object_key,"
                     + " recording_id, track_id) VALUES (?, ?, ?, ?) RETURNING id")) {
            st.setString(1, bucket);
            st.setString(2, objectKey);
            st.setString(3, recordingId);
            st.setString(4, trackId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void uploadStarted(long id, String uploadId) throws SQLException {
        update("UPDATE " + S + "uploads SET upload_id = ? WHERE id = ?", uploadId, id);
    }

    public void uploadEnded(long id) throws SQLException {
        update("DELETE FROM " + S + "uploads WHERE id = ?", id);
    }

    public List<UploadRow> uploads() throws SQLException {
        List<UploadRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT id, upload_id, bucket, object_key FROM " + S
                     + "uploads ORDER BY id")) {
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new UploadRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return rows;
    }

    private int update(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            return st.executeUpdate();
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
