package io.tribune.api.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * When a meeting takes place: its first occurrence, its time zone, an optional recurrence rule and the
 * occurrences changed or cancelled on their own. It answers which occurrences fall into a window, which is what
 * listings, conflict checks and calendars need. Immutable and thread-safe.
 */
public final class MeetingSchedule {

    private final Instant startTime;
    private final Instant endTime;
    private final ZoneId timeZone;
    private final RecurrenceRule rule;
    private final TreeMap<Instant, OccurrenceOverride> overrides;

    public MeetingSchedule(Instant startTime, Instant endTime, ZoneId timeZone, RecurrenceRule rule,
                           Map<Instant, OccurrenceOverride> overrides) {
        this.startTime = Objects.requireNonNull(startTime, "startTime");
        this.endTime = Objects.requireNonNull(endTime, "endTime");
        this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
        if (!endTime.isAfter(startTime)) {
            throw new IllegalArgumentException("a meeting ends after it starts");
        }
        this.rule = rule;
        this.overrides = new TreeMap<>(rule == null ? Map.of() : overrides);
    }

    public static MeetingSchedule single(Instant startTime, Instant endTime, ZoneId timeZone) {
        return new MeetingSchedule(startTime, endTime, timeZone, null, Map.of());
    }

    public Instant startTime() {
        return startTime;
    }

    public Instant endTime() {
        return endTime;
    }

    public ZoneId timeZone() {
        return timeZone;
    }

    public Optional<RecurrenceRule> rule() {
        return Optional.ofNullable(rule);
    }

    public boolean recurring() {
        return rule != null;
    }

    public Duration duration() {
        return Duration.between(startTime, endTime);
    }

    /** Changed and cancelled occurrences by their original start, in order. */
    public Map<Instant, OccurrenceOverride> overrides() {
        return Collections.unmodifiableMap(overrides);
    }

    /** The same schedule with {@code override} in place of any earlier one for the same occurrence. */
    public MeetingSchedule with(OccurrenceOverride override) {
        if (rule == null) {
            throw new IllegalStateException("only occurrences of a series can be changed on their own");
        }
        Map<Instant, OccurrenceOverride> changed = new TreeMap<>(overrides);
        changed.put(override.occurrence(), override);
        return new MeetingSchedule(startTime, endTime, timeZone, rule, changed);
    }

    /** Whether the rule (or, for a single meeting, its start) gives an occurrence starting at {@code start}. */
    public boolean hasOccurrence(Instant originalStart) {
        return rule == null ? startTime.equals(originalStart) : rule.isStart(originalStart);
    }

    public boolean isCancelled(Instant originalStart) {
        OccurrenceOverride override = overrides.get(originalStart);
        return override != null && override.cancelled();
    }

    /** Every occurrence that is not cancelled, in order of start (bounded: series are). */
    public List<Occurrence> occurrences() {
        return occurrences(Instant.MIN, Instant.MAX);
    }

    /** The occurrences that overlap {@code [from, to)} and are not cancelled, in order of start. */
    public List<Occurrence> occurrences(Instant from, Instant to) {
        if (rule == null) {
            Occurrence only = new Occurrence(null, startTime, endTime, null, false);
            return only.overlaps(from, to) ? List.of(only) : List.of();
        }
        Duration duration = duration();
        List<Occurrence> result = new ArrayList<>();
        Instant expandFrom = from.equals(Instant.MIN) ? from : from.minus(duration);
        for (Instant start : rule.starts(expandFrom, to)) {
            if (overrides.containsKey(start)) {
                continue;
            }
            Occurrence occurrence = new Occurrence(start, start, start.plus(duration), null, false);
            if (occurrence.overlaps(from, to)) {
                result.add(occurrence);
            }
        }
        for (OccurrenceOverride override : overrides.values()) {
            if (override.cancelled() || !rule.isStart(override.occurrence())) {
                continue;
            }
            Occurrence occurrence = new Occurrence(override.occurrence(), override.startTime(), override.endTime(),
                    override.title(), true);
            if (occurrence.overlaps(from, to)) {
                result.add(occurrence);
            }
        }
        result.sort(Comparator.comparing(Occurrence::startTime).thenComparing(Occurrence::endTime));
        return result;
    }

    /** Earliest start of any occurrence, cancelled ones included (a bound for queries). */
    public Instant spanStart() {
        Instant earliest = startTime;
        for (OccurrenceOverride override : overrides.values()) {
            if (!override.cancelled() && override.startTime().isBefore(earliest)) {
                earliest = override.startTime();
            }
        }
        return earliest;
    }

    /** Latest end of any occurrence (a bound for queries). */
    public Instant spanEnd() {
        Instant latest = endTime;
        if (rule != null) {
            List<Instant> starts = rule.starts();
            latest = starts.get(starts.size() - 1).plus(duration());
        }
        for (OccurrenceOverride override : overrides.values()) {
            if (!override.cancelled() && override.endTime().isAfter(latest)) {
                latest = override.endTime();
            }
        }
        return latest;
    }
}
