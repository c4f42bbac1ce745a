package io.tribune.notify.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tribune.events.EventCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code notification.meetings} table: the latest {@link MeetingPlan} per meeting, as JSON. Thread-safe. */
public final class MeetingPlans {

    private final DataSource dataSource;

    public MeetingPlans(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<MeetingPlan> find(String meetingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT plan FROM notification.meetings WHERE meeting_id = ?")) {
            s.setString(1, meetingId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(EventCodec.mapper().readValue(r.getString(1), MeetingPlan.class));
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable plan of meeting " + meetingId + ": " + e.getMessage(), e);
            }
        }
    }

    public void save(MeetingPlan plan) throws SQLException {
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO notification.meetings (meeting_id, sequence, plan) VALUES (?, ?, ?)"
                        + " ON CONFLICT (meeting_id) DO UPDATE SET sequence = excluded.sequence, plan = excluded.plan,"
                        + " updated_at = now()")) {
            s.setString(1, plan.meetingId());
            s.setInt(2, plan.sequence());
            s.setString(3, json);
            s.executeUpdate();
        }
    }

    public void delete(String meetingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM notification.meetings WHERE meeting_id = ?")) {
            s.setString(1, meetingId);
            s.executeUpdate();
        }
    }

    /**
     * The plans that invite {@code email} (case-insensitively): a text search over the stored JSON, then checked
     * against the parsed invitees. Used when someone's reminder lead time changes.
     */
    public List<MeetingPlan> inviting(String email) throws SQLException {
        String address = email.strip().toLowerCase(Locale.ROOT);
        List<MeetingPlan> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT meeting_id, plan FROM notification.meetings WHERE strpos(lower(plan), ?) > 0")) {
            s.setString(1, address);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    MeetingPlan plan;
                    try {
                        plan = EventCodec.mapper().readValue(r.getString(2), MeetingPlan.class);
                    } catch (JsonProcessingException e) {
                        throw new SQLException("unreadable plan of meeting " + r.getString(1) + ": "
                                + e.getMessage(), e);
                    }
                    if (MeetingMails.recipients(plan.invitees()).stream()
                            .anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(address))) {
                        found.add(plan);
                    }
                }
            }
        }
        return found;
    }
}
