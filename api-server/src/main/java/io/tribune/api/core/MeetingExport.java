package io.tribune.api.core;

import io.tribune.api.api.MeetingExportSection;
import io.tribune.api.db.CalendarFeedDao;
import io.tribune.api.db.MeetingDao;
import io.tribune.api.db.PersonalRoomDao;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code meetings} section of an account's data export (GDPR Art. 15 and 20): meetings it hosts, meetings
 * it is invited to (by account or email address), its personal room and whether it has a calendar feed.
 * Thread-safe (stateless).
 */
public final class MeetingExport implements UserDataExporter {

    public static final String SECTION = "meetings";

    @Override
    public String section() {
        return SECTION;
    }

    @Override
    public Object export(Handle handle, UUID userId) {
        String id = userId.toString();
        String email = handle.createQuery("SELECT email FROM users WHERE id = :id")
                .bind("id", userId)
                .mapTo(String.class)
                .findOne()
                .orElse(null);
        MeetingDao dao = handle.attach(MeetingDao.class);
        List<MeetingExportSection.Hosted> hosted = new ArrayList<>();
        for (Meeting meeting : dao.assemble(dao.findRowsHostedBy(id))) {
            if (meeting.personalRoom()) {
                continue;
            }
            MeetingSchedule schedule = meeting.schedule();
            hosted.add(new MeetingExportSection.Hosted(meeting.id(), meeting.title(), meeting.kind().wireName(),
                    schedule.startTime(), schedule.endTime(), schedule.timeZone().getId(),
                    schedule.rule().map(RecurrenceRule::value).orElse(null), meeting.status().wireName(),
                    meeting.invitees().stream().map(Invitee::reference).toList(), meeting.createdAt()));
        }
        List<MeetingExportSection.Invitation> invitations = new ArrayList<>();
        for (Meeting meeting : dao.findAll(dao.findInvitedMeetingIds(id, email))) {
            MeetingSchedule schedule = meeting.schedule();
            invitations.add(new MeetingExportSection.Invitation(meeting.id(), meeting.title(), meeting.hostId(),
                    meeting.invitation(id, email).map(i -> i.role().wireName()).orElse(null),
                    schedule == null ? null : schedule.startTime(), schedule == null ? null : schedule.endTime(),
                    meeting.status().wireName()));
        }
        String personalRoom = handle.attach(PersonalRoomDao.class).findMeetingId(id).orElse(null);
        boolean feed = handle.attach(CalendarFeedDao.class).findSealedToken(id).isPresent();
        return new MeetingExportSection(hosted, invitations, personalRoom, feed);
    }
}
