package io.tribune.notify.core;

import io.tribune.events.NotificationEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The worker's copy of each address's mail preferences (table {@code notification.recipient_preferences}), kept
 * from the api-server's {@code notification.preferences_changed} events: which kinds of meeting mail an address
 * gets none of ({@link #INVITATIONS}: invitations, updates, cancellations; {@link #REMINDERS}), and its reminder
 * lead time. An address with no row gets everything, with the configured default lead time. Thread-safe.
 */
public final class RecipientPreferences {

    public static final String INVITATIONS = "invitations";
    public static final String REMINDERS = "reminders";

    /**
     * One address's preferences; {@code lead} null means the worker's default; {@code userId} the account with
     * that address (null for a bare address that unsubscribed).
     */
    public record Preference(Set<String> optOuts, Duration lead, String userId) {
        public boolean wants(String kind) {
            return !optOuts.contains(kind);
        }
    }

    private final DataSource dataSource;

    public RecipientPreferences(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void save(NotificationEvents.PreferencesChanged changed) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO notification.recipient_preferences (email, user_id, email_opt_outs, "
                        + "reminder_lead_minutes) VALUES (?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET "
                        + "user_id = excluded.user_id, email_opt_outs = excluded.email_opt_outs, "
                        + "reminder_lead_minutes = excluded.reminder_lead_minutes, updated_at = now()")) {
            s.setString(1, changed.email().strip().toLowerCase(Locale.ROOT));
            s.setString(2, changed.userId());
            s.setString(3, String.join(",", changed.emailOptOuts()));
            s.setInt(4, changed.reminderLeadMinutes());
            s.executeUpdate();
        }
    }

    /**
     * An account's address changed ({@code user.updated}): its preferences follow it to the new address. False
     * when the worker holds none for that account.
     */
    public boolean moveUser(String userId, String newEmail) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE notification.recipient_preferences SET email = ?, updated_at = now() WHERE user_id = ? "
                        + "AND email <> ? AND NOT EXISTS (SELECT 1 FROM notification.recipient_preferences "
                        + "WHERE email = ?)")) {
            String address = newEmail.strip().toLowerCase(Locale.ROOT);
            s.setString(1, address);
            s.setString(2, userId);
            s.setString(3, address);
            s.setString(4, address);
            return s.executeUpdate() > 0;
        }
    }

    /** The preferences of those of {@code addresses} that have any, by lower-case address. */
    public Map<String, Preference> of(Collection<String> addresses) {
        Map<String, Preference> found = new HashMap<>();
        if (addresses.isEmpty()) {
            return found;
        }
        List<String> keys = addresses.stream().map(a -> a.strip().toLowerCase(Locale.ROOT)).distinct().toList();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT email, email_opt_outs, reminder_lead_minutes, user_id FROM notification.recipient_preferences "
                        + "WHERE email = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    Set<String> optOuts = Arrays.stream(rows.getString(2).split(",")).filter(k -> !k.isBlank())
                            .collect(Collectors.toUnmodifiableSet());
                    found.put(rows.getString(1), new Preference(optOuts,
                            Duration.ofMinutes(rows.getInt(3)), rows.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read recipient preferences: " + e.getMessage(), e);
        }
        return found;
    }

    /** Whether {@code address} wants mails of {@code kind}. */
    static boolean wants(Map<String, Preference> preferences, String address, String kind) {
        Preference preference = preferences.get(address.strip().toLowerCase(Locale.ROOT));
        return preference == null || preference.wants(kind);
    }
}
