package io.tribune.api.core;

import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A validated RFC 5545 RRULE value (without the {@code RRULE:} prefix) for a series starting at a zoned
 * DTSTART, expanded with ical4j in that zone, so a weekly 10:00 Europe/Berlin series stays at 10:00 local time
 * across daylight-saving changes.
 *
 * <p>Series are bounded: the rule needs {@code COUNT} or {@code UNTIL} (a UTC date-time, RFC 5545 section
 * 3.3.10 for a DTSTART with a time zone) and may produce at most the configured number of occurrences; only
 * {@code DAILY}, {@code WEEKLY}, {@code MONTHLY} and {@code YEARLY} are accepted; DTSTART must itself be an
 * occurrence of the rule (RFC 5545 leaves the other case undefined).
 *
 * <p>Immutable and thread-safe: ical4j's {@link Recur} is parsed afresh for each expansion.
 */
public final class RecurrenceRule {

    /** Longest RRULE value accepted, in characters. */
    public static final int MAX_LENGTH = 500;

    private static final Set<Frequency> FREQUENCIES =
            EnumSet.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY);
    private static final int MAX_INTERVAL = 1000;

    private final String value;
    private final ZonedDateTime seed;
    private final List<Instant> starts;

    private RecurrenceRule(String value, ZonedDateTime seed, List<Instant> starts) {
        this.value = value;
        this.seed = seed;
        this.starts = List.copyOf(starts);
    }

    /**
     * Parses and checks {@code value} for a series whose first occurrence starts at {@code seed}.
     *
     * @throws InvalidRecurrenceException with a message for people when the rule is malformed or unbounded
     */
    public static RecurrenceRule parse(String value, ZonedDateTime seed, int maxOccurrences) {
        if (value == null || value.isBlank()) {
            throw new InvalidRecurrenceException("must be an RRULE value such as FREQ=WEEKLY;COUNT=10");
        }
        String rule = value.strip();
        if (rule.regionMatches(true, 0, "RRULE:", 0, 6)) {
            rule = rule.substring(6);
        }
        if (rule.length() > MAX_LENGTH) {
            throw new InvalidRecurrenceException("must be at most " + MAX_LENGTH + " characters");
        }
        if (!rule.matches("[A-Za-z0-9=;,+-]+")) {
            throw new InvalidRecurrenceException("may only contain RRULE parts such as FREQ=WEEKLY;BYDAY=MO,WE");
        }
        rule = rule.toUpperCase(Locale.ROOT);
        Recur<Temporal> recur = recur(rule);
        if (recur.getFrequency() == null || !FREQUENCIES.contains(recur.getFrequency())) {
            throw new InvalidRecurrenceException("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
        }
        if (recur.getInterval() > MAX_INTERVAL) {
            throw new InvalidRecurrenceException("INTERVAL must be at most " + MAX_INTERVAL);
        }
        boolean hasCount = recur.getCount() >= 1;
        Temporal until = recur.getUntil();
        if (hasCount && until != null) {
            throw new InvalidRecurrenceException("must not have both COUNT and UNTIL (RFC 5545 section 3.3.10)");
        }
        if (!hasCount && until == null) {
            throw new InvalidRecurrenceException("needs COUNT or UNTIL: series are limited to " + maxOccurrences
                    + " occurrences");
        }
        if (hasCount && recur.getCount() > maxOccurrences) {
            throw new InvalidRecurrenceException("COUNT must be at most " + maxOccurrences);
        }
        if (until != null) {
            if (!(until instanceof OffsetDateTime utc) || !utc.getOffset().equals(ZoneOffset.UTC)) {
                throw new InvalidRecurrenceException("UNTIL must be a UTC date-time such as 20271231T235959Z");
            }
            if (utc.toInstant().isBefore(seed.toInstant())) {
                throw new InvalidRecurrenceException("UNTIL is before start_time");
            }
        }
        List<Instant> starts = expand(recur, seed, seed.toInstant(), far(seed, until), maxOccurrences + 1);
        if (starts.isEmpty() || !starts.get(0).equals(seed.toInstant())) {
            throw new InvalidRecurrenceException("start_time must be the first occurrence of the rule "
                    + "(e.g. a Tuesday for BYDAY=TU)");
        }
        if (starts.size() > maxOccurrences) {
            throw new InvalidRecurrenceException("produces more than " + maxOccurrences
                    + " occurrences; choose an earlier UNTIL or a COUNT");
        }
        return new RecurrenceRule(rule, seed, starts);
    }

    /** The rule as stored and shown: upper case, without the {@code RRULE:} prefix. */
    public String value() {
        return value;
    }

    /** Every occurrence start the rule gives, in order (bounded by construction). */
    public List<Instant> starts() {
        return starts;
    }

    /** The starts in {@code [from, to)}. */
    public List<Instant> starts(Instant from, Instant to) {
        List<Instant> result = new ArrayList<>();
        for (Instant start : starts) {
            if (!start.isBefore(to)) {
                break;
            }
            if (!start.isBefore(from)) {
                result.add(start);
            }
        }
        return result;
    }

    public boolean isStart(Instant instant) {
        return starts.contains(instant);
    }

    /** The zoned DTSTART the rule is expanded from. */
    public ZonedDateTime seed() {
        return seed;
    }

    @SuppressWarnings("unchecked")
    private static Recur<Temporal> recur(String rule) {
        try {
            return new Recur<>(rule);
        } catch (IllegalArgumentException | DateTimeException e) {
            // NumberFormatException is an IllegalArgumentException.
            throw new InvalidRecurrenceException("is not a valid RRULE: " + e.getMessage());
        }
    }

    private static ZonedDateTime far(ZonedDateTime seed, Temporal until) {
        if (until instanceof OffsetDateTime utc) {
            return utc.plusSeconds(1).atZoneSameInstant(seed.getZone());
        }
        return seed.plusYears(1000);
    }

    private static List<Instant> expand(Recur<Temporal> recur, ZonedDateTime seed, Instant from, ZonedDateTime to,
                                        int limit) {
        List<Instant> result = new ArrayList<>();
        try {
            for (Temporal date : recur.getDates(seed, from.atZone(seed.getZone()), to, limit)) {
                result.add(Instant.from(date));
            }
        } catch (RuntimeException e) {
            throw new InvalidRecurrenceException("cannot be expanded: " + e.getMessage());
        }
        result.sort(null);
        return result;
    }

    @Override
    public String toString() {
        return value;
    }

    /** A rule that cannot be used; its message completes "recurrence ...". */
    public static final class InvalidRecurrenceException extends RuntimeException {
        public InvalidRecurrenceException(String message) {
            super(message);
        }
    }
}
