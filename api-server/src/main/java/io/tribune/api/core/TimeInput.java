package io.tribune.api.core;

import io.tribune.api.errors.ApiException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads times as clients send them: an ISO-8601 instant with offset ({@code 2027-03-16T09:00:00Z},
 * {@code 2027-03-16T10:00:00+01:00}) or a local date-time ({@code 2027-03-16T10:00:00}) in the meeting's time
 * zone. A local time that falls into a daylight-saving gap moves forward by the gap (java.time's rule); one
 * that occurs twice takes the earlier offset. Stateless.
 */
public final class TimeInput {

    /** Latest year accepted, so that arithmetic and the database stay far from their limits. */
    private static final int MAX_YEAR = 9999;

    private TimeInput() {
    }

    /**
     * Parses {@code value} of field {@code field}.
     *
     * @throws ApiException 400 {@code validation_failed} naming {@code field}
     */
    public static Instant parse(String field, String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        if (value.length() > 64) {
            throw invalid(field, "must be an ISO-8601 date-time such as 2027-03-16T09:00:00Z");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException offsetMissing) {
            try {
                instant = LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
            } catch (DateTimeException e) {
                throw invalid(field, "must be an ISO-8601 date-time such as 2027-03-16T09:00:00Z");
            }
        }
        int year = instant.atZone(zone).getYear();
        if (year < 1970 || year > MAX_YEAR) {
            throw invalid(field, "must be between the years 1970 and " + MAX_YEAR);
        }
        return instant;
    }

    /**
     * Parses an IANA zone id such as {@code Europe/Berlin}; fixed offsets and abbreviations are refused, and so
     * are the {@code SystemV/} ids (no VTIMEZONE exists for them) and the {@code ical4j-local-} ids that ical4j
     * registers with java.time for zones it read from calendars.
     */
    public static ZoneId zone(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        if (value.startsWith("SystemV/") || value.startsWith("ical4j")
                || !ZoneId.getAvailableZoneIds().contains(value)) {
            throw invalid(field, "must be an IANA time zone such as Europe/Berlin");
        }
        return ZoneId.of(value);
    }

    public static ApiException invalid(String field, String problem) {
        return new ApiException(400, "validation_failed", "The request is invalid: " + field + " " + problem + ".",
                Map.of(field, problem));
    }
}
