package io.tribune.api.core;

import io.tribune.api.db.MeetingDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * "My meetings": the occurrences of the meetings a person hosts or is invited to (by account or by email
 * address) within a window, recurring series expanded, cancelled ones and personal rooms left out, ordered by
 * start, one page at a time. Thread-safe (stateless).
 */
public final class MeetingListing {

    private final Jdbi jdbi;

    public MeetingListing(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi);
    }

    /** One occurrence, with the meeting and the person's role in it. */
    public record Listed(Meeting meeting, Occurrence occurrence, MeetingRole role) {
    }

    /** A page of occurrences and how many there are in the window. */
    public record Page(List<Listed> items, int total) {
    }

    /**
     * @param page 1-based
     */
    public Page list(Caller caller, Instant from, Instant to, int page, int size) {
        List<Meeting> meetings = jdbi.withHandle(handle -> {
            MeetingDao dao = handle.attach(MeetingDao.class);
            return dao.assemble(dao.findRowsForPerson(caller.userId(), caller.email(), from, to));
        });
        List<Listed> all = new ArrayList<>();
        for (Meeting meeting : meetings) {
            MeetingRole role = meeting.roleOf(caller.userId(), caller.email()).orElseThrow();
            for (Occurrence occurrence : meeting.schedule().occurrences(from, to)) {
                all.add(new Listed(meeting, occurrence, role));
            }
        }
        all.sort(Comparator.comparing((Listed l) -> l.occurrence().startTime())
                .thenComparing(l -> l.meeting().id()));
        int fromIndex = (int) Math.min(all.size(), (long) (page - 1) * size);
        int toIndex = Math.min(all.size(), fromIndex + size);
        return new Page(List.copyOf(all.subList(fromIndex, toIndex)), all.size());
    }
}
