package io.tribune.api.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MeetingScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant FIRST = Instant.parse("2027-03-16T09:00:00Z");

    private static MeetingSchedule weekly(int count) {
        RecurrenceRule rule = RecurrenceRule.parse("FREQ=WEEKLY;COUNT=" + count, FIRST.atZone(BERLIN), 500);
        return new MeetingSchedule(FIRST, FIRST.plusSeconds(3600), BERLIN, rule, Map.of());
    }

    @Test
    void aSingleMeetingHasOneOccurrenceWithoutRecurrenceId() {
        MeetingSchedule single = MeetingSchedule.single(FIRST, FIRST.plusSeconds(1800), BERLIN);

        assertThat(single.occurrences()).singleElement().satisfies(occurrence -> {
            assertThat(occurrence.recurrenceId()).isNull();
            assertThat(occurrence.startTime()).isEqualTo(FIRST);
        });
        assertThat(single.occurrences(FIRST.plusSeconds(1800), FIRST.plusSeconds(7200))).isEmpty();
    }

    @Test
    void listsOccurrencesOverlappingTheWindowIncludingOneAlreadyRunning() {
        MeetingSchedule schedule = weekly(4);
        Instant secondStart = Instant.parse("2027-03-23T09:00:00Z");

        assertThat(schedule.occurrences(secondStart.plusSeconds(600), secondStart.plusSeconds(700)))
                .extracting(Occurrence::recurrenceId).containsExactly(secondStart);
    }

    @Test
    void leavesOutCancelledOccurrencesAndMovesChangedOnes() {
        Instant second = Instant.parse("2027-03-23T09:00:00Z");
        Instant third = Instant.parse("2027-03-30T08:00:00Z");
        Instant moved = Instant.parse("2027-04-01T12:00:00Z");
        MeetingSchedule schedule = weekly(4)
                .with(OccurrenceOverride.cancelled(second))
                .with(new OccurrenceOverride(third, false, "Moved", moved, moved.plusSeconds(1800)));

        assertThat(schedule.occurrences()).extracting(Occurrence::startTime)
                .containsExactly(FIRST, moved, Instant.parse("2027-04-06T08:00:00Z"));
        assertThat(schedule.occurrences()).filteredOn(Occurrence::modified).singleElement()
                .satisfies(o -> {
                    assertThat(o.recurrenceId()).isEqualTo(third);
                    assertThat(o.title()).isEqualTo("Moved");
                });
        assertThat(schedule.isCancelled(second)).isTrue();
        assertThat(schedule.hasOccurrence(second)).isTrue();
    }

    @Test
    void spansEveryOccurrenceIncludingOnesMovedPastTheRule() {
        Instant last = Instant.parse("2027-04-06T08:00:00Z");
        Instant later = Instant.parse("2027-05-01T10:00:00Z");
        MeetingSchedule schedule = weekly(4).with(new OccurrenceOverride(last, false, null, later,
                later.plusSeconds(600)));

        assertThat(schedule.spanStart()).isEqualTo(FIRST);
        assertThat(schedule.spanEnd()).isEqualTo(later.plusSeconds(600));
        assertThat(weekly(4).spanEnd()).isEqualTo(last.plusSeconds(3600));
    }

    @Test
    void keepsLocalTimeOfOccurrencesInTheMeetingZone() {
        assertThat(weekly(4).occurrences()).extracting(o -> ZonedDateTime.ofInstant(o.startTime(), BERLIN).getHour())
                .containsOnly(10);
    }
}
