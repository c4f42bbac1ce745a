package io.tribune.api.core;

import io.tribune.api.core.RecurrenceRule.InvalidRecurrenceException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecurrenceRuleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Tuesday, twelve days before Europe's 2027 switch to summer time (28 March). */
    private static final ZonedDateTime TUESDAY_TEN = ZonedDateTime.of(2027, 3, 16, 10, 0, 0, 0, BERLIN);

    @Nested
    class WhenExpanding {

        @Test
        void keepsAWeeklyBerlinSeriesAtTenLocalAcrossTheDaylightSavingSwitch() {
            RecurrenceRule rule = RecurrenceRule.parse("FREQ=WEEKLY;BYDAY=TU;COUNT=4", TUESDAY_TEN, 500);

            List<ZonedDateTime> local = rule.starts().stream().map(start -> start.atZone(BERLIN)).toList();

            assertThat(local).extracting(ZonedDateTime::toLocalTime).containsOnly(LocalTime.of(10, 0));
            assertThat(local).extracting(ZonedDateTime::getOffset).containsExactly(ZoneOffset.ofHours(1),
                    ZoneOffset.ofHours(1), ZoneOffset.ofHours(2), ZoneOffset.ofHours(2));
            assertThat(rule.starts()).containsExactly(Instant.parse("2027-03-16T09:00:00Z"),
                    Instant.parse("2027-03-23T09:00:00Z"), Instant.parse("2027-03-30T08:00:00Z"),
                    Instant.parse("2027-04-06T08:00:00Z"));
        }

        @Test
        void includesAnOccurrenceStartingExactlyAtUntil() {
            RecurrenceRule rule = RecurrenceRule.parse("FREQ=DAILY;UNTIL=20270319T090000Z", TUESDAY_TEN, 500);

            assertThat(rule.starts()).hasSize(4).last().isEqualTo(Instant.parse("2027-03-19T09:00:00Z"));
        }

        @Test
        void listsOnlyTheStartsInsideAWindow() {
            RecurrenceRule rule = RecurrenceRule.parse("FREQ=DAILY;COUNT=10", TUESDAY_TEN, 500);

            assertThat(rule.starts(Instant.parse("2027-03-18T00:00:00Z"), Instant.parse("2027-03-20T09:00:00Z")))
                    .containsExactly(Instant.parse("2027-03-18T09:00:00Z"), Instant.parse("2027-03-19T09:00:00Z"));
        }

        @Test
        void acceptsTheRrulePrefixAndLowerCase() {
            RecurrenceRule rule = RecurrenceRule.parse("RRULE:freq=weekly;count=2", TUESDAY_TEN, 500);

            assertThat(rule.value()).isEqualTo("FREQ=WEEKLY;COUNT=2");
            assertThat(rule.starts()).hasSize(2);
        }

        @Test
        void knowsWhichInstantsAreOccurrences() {
            RecurrenceRule rule = RecurrenceRule.parse("FREQ=WEEKLY;COUNT=3", TUESDAY_TEN, 500);

            assertThat(rule.isStart(Instant.parse("2027-03-23T09:00:00Z"))).isTrue();
            assertThat(rule.isStart(Instant.parse("2027-03-23T09:30:00Z"))).isFalse();
            assertThat(rule.isStart(Instant.parse("2027-04-06T08:00:00Z"))).isFalse();
        }
    }

    @Nested
    class WhenTheRuleIsUnacceptable {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "FREQ=WEEKLY|needs COUNT or UNTIL",
                "FREQ=WEEKLY;COUNT=501|COUNT must be at most 500",
                "FREQ=DAILY;COUNT=3;UNTIL=20270401T000000Z|must not have both COUNT and UNTIL",
                "FREQ=DAILY;UNTIL=20270401|UNTIL must be a UTC date-time",
                "FREQ=DAILY;UNTIL=20270401T100000|UNTIL must be a UTC date-time",
                "FREQ=DAILY;UNTIL=20270101T000000Z|UNTIL is before start_time",
                "FREQ=HOURLY;COUNT=3|FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
                "FREQ=MINUTELY;COUNT=3|FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
                "FREQ=FORTNIGHTLY;COUNT=3|is not a valid RRULE",
                "FREQ=WEEKLY;BYDAY=XX;COUNT=3|is not a valid RRULE",
                "FREQ=DAILY;COUNT=abc|is not a valid RRULE",
                "garbage|is not a valid RRULE",
                "FREQ=WEEKLY;BYDAY=WE;COUNT=3|start_time must be the first occurrence",
                "FREQ=DAILY;UNTIL=20990101T000000Z|produces more than 500 occurrences",
                "FREQ=DAILY;INTERVAL=5000;COUNT=2|INTERVAL must be at most 1000",
                "FREQ=DAILY;COUNT=2\\nX-INJECT:1|may only contain RRULE parts",
                "<script>|may only contain RRULE parts"})
        void refusesItWithAReason(String value, String reason) {
            assertThatThrownBy(() -> RecurrenceRule.parse(value.replace("\\n", "\n"), TUESDAY_TEN, 500))
                    .isInstanceOf(InvalidRecurrenceException.class)
                    .hasMessageContaining(reason);
        }

        @Test
        void refusesABlankValue() {
            assertThatThrownBy(() -> RecurrenceRule.parse(" ", TUESDAY_TEN, 500))
                    .isInstanceOf(InvalidRecurrenceException.class);
        }

        @Test
        void refusesAValueLongerThanTheLimit() {
            String tooLong = "FREQ=DAILY;COUNT=2;BYMONTHDAY=" + "1,".repeat(300) + "1";

            assertThatThrownBy(() -> RecurrenceRule.parse(tooLong, TUESDAY_TEN, 500))
                    .hasMessageContaining("at most 500 characters");
        }
    }
}
