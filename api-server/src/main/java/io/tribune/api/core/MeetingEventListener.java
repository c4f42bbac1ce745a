package io.tribune.api.core;

import io.tribune.events.EventData;
import io.tribune.events.MeetingEvents;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Told of each {@code meeting.scheduled}, {@code meeting.updated} and {@code meeting.cancelled} the
 * {@link MeetingScheduler} appends to the outbox, inside the same transaction (so what it writes exists exactly
 * when the change does). The api-server's in-app and push notices of invitations use it
 * ({@code notify/InvitationNotifier}); the worker's mails come from the events themselves.
 */
@FunctionalInterface
public interface MeetingEventListener {

    /** Listens to nothing. */
    MeetingEventListener NONE = (handle, event, uninvited) -> {
    };

    /**
     * @param event     the event as appended: {@link MeetingEvents.Scheduled}, {@link MeetingEvents.Updated} or
     *                  {@link MeetingEvents.Cancelled}
     * @param uninvited invitees the change removed (a series edit of the participants), with their addresses as
     *                  in events; empty otherwise
     */
    void appended(Handle handle, EventData event, List<MeetingEvents.Invitee> uninvited);
}
