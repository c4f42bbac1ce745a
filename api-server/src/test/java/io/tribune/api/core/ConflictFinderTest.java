package io.tribune.api.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConflictFinderTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant NINE = Instant.parse("2027-06-07T09:00:00Z");
    private final ConflictFinder finder = new ConflictFinder(Duration.ofDays(365));

    private static MeetingSchedule at(Instant start, long minutes) {
        return MeetingSchedule.single(start, start.plusSeconds(minutes * 60), UTC);
    }

    private static MeetingSchedule daily(Instant start, long minutes, int count) {
        RecurrenceRule rule = RecurrenceRule.parse("FREQ=DAILY;COUNT=" + count, start.atZone(UTC), 500);
        return new MeetingSchedule(start, start.plusSeconds(minutes * 60), UTC, rule, Map.of());
    }

    @Test
    void reportsAnOverlappingMeetingWithItsOccurrence() {
        List<ConflictFinder.Conflict> conflicts = finder.find(at(NINE, 60),
                List.of(new ConflictFinder.Scheduled("m1", "Standup", at(NINE.plusSeconds(1800), 30))));

        assertThat(conflicts).containsExactly(new ConflictFinder.Conflict("m1", "Standup",
                NINE.plusSeconds(1800), NINE.plusSeconds(3600)));
    }

    @Test
    void doesNotCountMeetingsThatOnlyTouch() {
        assertThat(finder.find(at(NINE, 60),
                List.of(new ConflictFinder.Scheduled("m1", "Next", at(NINE.plusSeconds(3600), 30))))).isEmpty();
    }

    @Test
    void findsAnOverlapWithALaterOccurrenceOfARecurringMeeting() {
        Instant fourthDay = NINE.plus(Duration.ofDays(3)).plusSeconds(900);

        List<ConflictFinder.Conflict> conflicts = finder.find(at(fourthDay, 15),
                List.of(new ConflictFinder.Scheduled("daily", "Daily", daily(NINE, 30, 10))));

        assertThat(conflicts).singleElement().extracting(ConflictFinder.Conflict::startTime)
                .isEqualTo(NINE.plus(Duration.ofDays(3)));
    }

    @Test
    void findsAnOverlapBetweenTwoSeries() {
        MeetingSchedule weeklyOnDayFive = new MeetingSchedule(NINE.plus(Duration.ofDays(5)),
                NINE.plus(Duration.ofDays(5)).plusSeconds(600), UTC,
                RecurrenceRule.parse("FREQ=WEEKLY;COUNT=3", NINE.plus(Duration.ofDays(5)).atZone(UTC), 500),
                Map.of());

        assertThat(finder.find(weeklyOnDayFive,
                List.of(new ConflictFinder.Scheduled("daily", "Daily", daily(NINE, 30, 10))))).hasSize(1);
    }

    @Test
    void ignoresACancelledOccurrence() {
        MeetingSchedule daily = daily(NINE, 30, 3).with(OccurrenceOverride.cancelled(NINE.plus(Duration.ofDays(1))));

        assertThat(finder.find(at(NINE.plus(Duration.ofDays(1)), 30),
                List.of(new ConflictFinder.Scheduled("daily", "Daily", daily)))).isEmpty();
    }

    @Test
    void looksNoFurtherThanTheHorizon() {
        ConflictFinder shortSighted = new ConflictFinder(Duration.ofDays(2));
        MeetingSchedule longSeries = daily(NINE, 30, 10);

        assertThat(shortSighted.find(longSeries, List.of(new ConflictFinder.Scheduled("late", "Late",
                at(NINE.plus(Duration.ofDays(5)), 30))))).isEmpty();
        assertThat(finder.find(longSeries, List.of(new ConflictFinder.Scheduled("late", "Late",
                at(NINE.plus(Duration.ofDays(5)), 30))))).hasSize(1);
    }

    @Test
    void mergesOverlapsInListsThatOverlapThemselves() {
        List<Occurrence> mine = List.of(
                new Occurrence(null, NINE, NINE.plusSeconds(7200), null, false),
                new Occurrence(null, NINE.plusSeconds(600), NINE.plusSeconds(900), null, false));
        List<Occurrence> theirs = List.of(
                new Occurrence(null, NINE.minusSeconds(600), NINE.minusSeconds(300), null, false),
                new Occurrence(null, NINE.plusSeconds(5000), NINE.plusSeconds(5100), null, false));

        assertThat(ConflictFinder.firstOverlap(mine, theirs)).isEqualTo(theirs.get(1));
    }
}
