package io.tribune.api.notify;

import io.tribune.events.RecordingEvents;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Tells a recording's host that it is ready (kind {@code recordings}): a mail with the worker's
 * {@code recording_ready} template, a push to each of their browsers, an in-app notification, as their
 * preferences allow. Runs inside the transaction that marks the recording ready, so a redelivered
 * {@code recording.ready} notifies nobody twice. Thread-safe.
 */
public final class RecordingReadyNotifier {

    public static final String TEMPLATE = "recording_ready";

    private final Notifications notifications;
    private final String publicBase;

    public RecordingReadyNotifier(Notifications notifications, URI publicUrl) {
        this.notifications = notifications;
        String base = publicUrl.toString();
        this.publicBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** After {@code ready} was applied: notifies the host unless the recording was deleted meanwhile. */
    public void ready(Handle handle, RecordingEvents.Ready ready) {
        Optional<Map<String, Object>> row = handle.createQuery("SELECT r.host_id, r.status, m.title "
                        + "FROM recordings r LEFT JOIN meetings m ON m.id = r.meeting_id WHERE r.id = :id")
                .bind("id", ready.recordingId()).mapToMap().findOne();
        if (row.isEmpty() || !"ready".equals(row.get().get("status"))) {
            return;
        }
        String hostId = String.valueOf(row.get().get("host_id"));
        Object title = row.get().get("title");
        String meetingTitle = title == null ? "your meeting" : title.toString();
        String url = publicBase + "/app/#/recordings/" + ready.recordingId();
        notifications.notify(handle, hostId, NotificationKind.RECORDINGS, "recording.ready|" + ready.recordingId(),
                new Notifications.Message(TEMPLATE, Map.of("title", meetingTitle, "url", url),
                        "Recording ready: " + meetingTitle, "The recording of " + meetingTitle + " is ready.", url));
    }
}
