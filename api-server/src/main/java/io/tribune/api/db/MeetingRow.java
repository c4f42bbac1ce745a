package io.tribune.api.db;

import io.tribune.api.core.Invitee;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingKind;
import io.tribune.api.core.MeetingSchedule;
import io.tribune.api.core.MeetingSettings;
import io.tribune.api.core.MeetingStatus;
import io.tribune.api.core.OccurrenceOverride;
import io.tribune.api.core.RecurrenceRule;
import io.tribune.api.core.StoredPasscode;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of {@code meetings}, column for column; {@link MeetingDao} binds it by its accessors. Immutable (the
 * byte arrays are not copied).
 */
public record MeetingRow(String id, long numericId, String kind, String hostId, String title, Instant startTime,
                         Instant endTime, String timeZone, String recurrence, Instant spanStart, Instant spanEnd,
                         byte[] passcodeDigest, byte[] passcodeSealed, boolean lobby, boolean joinBeforeHost,
                         boolean muteOnEntry, boolean recordingAllowed, boolean transcriptionAllowed,
                         int maxParticipants, boolean allowGuests, boolean autoRecord, int recordingRetentionDays,
                         boolean autoCaptions, boolean shareSummary, boolean personalRoom, int sequence, String status,
                         boolean locked, boolean guessingLocked, Instant createdAt, Instant updatedAt,
                         Instant cancelledAt) {

    /** The most occurrences a stored rule is expanded to, whatever the configuration says today. */
    static final int STORED_RULE_CAP = 5000;

    static MeetingRow of(Meeting meeting, Instant cancelledAt) {
        MeetingSchedule schedule = meeting.schedule();
        MeetingSettings settings = meeting.settings();
        return new MeetingRow(meeting.id(), meeting.numericId(), meeting.kind().wireName(), meeting.hostId(),
                meeting.title(),
                schedule == null ? null : schedule.startTime(),
                schedule == null ? null : schedule.endTime(),
                schedule == null ? "UTC" : schedule.timeZone().getId(),
                schedule == null ? null : schedule.rule().map(RecurrenceRule::value).orElse(null),
                schedule == null ? null : schedule.spanStart(),
                schedule == null ? null : schedule.spanEnd(),
                meeting.passcode().digest(), meeting.passcode().sealed(),
                settings.lobby(), settings.joinBeforeHost(), settings.muteOnEntry(), settings.recordingAllowed(),
                settings.transcriptionAllowed(), settings.maxParticipants(), settings.allowGuests(), settings.autoRecord(),
                settings.recordingRetentionDays(), settings.autoCaptions(), settings.shareSummary(),
                meeting.personalRoom(), meeting.sequence(), meeting.status().wireName(), meeting.locked(),
                meeting.guessingLocked(), meeting.createdAt(), meeting.updatedAt(), cancelledAt);
    }

    Meeting toMeeting(List<Invitee> invitees, List<OccurrenceOverride> overrides) {
        MeetingSchedule schedule = null;
        ZoneId zone = ZoneId.of(timeZone);
        if (startTime != null) {
            RecurrenceRule rule = recurrence == null ? null
                    : RecurrenceRule.parse(recurrence, startTime.atZone(zone), STORED_RULE_CAP);
            Map<Instant, OccurrenceOverride> byOccurrence = new TreeMap<>();
            overrides.forEach(override -> byOccurrence.put(override.occurrence(), override));
            schedule = new MeetingSchedule(startTime, endTime, zone, rule, byOccurrence);
        }
        MeetingSettings settings = new MeetingSettings(lobby, joinBeforeHost, muteOnEntry, recordingAllowed,
                transcriptionAllowed, maxParticipants, allowGuests, autoRecord, recordingRetentionDays, autoCaptions,
                shareSummary);
        return new Meeting(id, numericId, MeetingKind.parse(kind).orElseThrow(), hostId, title, schedule, settings,
                personalRoom, sequence, MeetingStatus.fromWire(status), locked, guessingLocked,
                new StoredPasscode(passcodeDigest, passcodeSealed), invitees, createdAt, updatedAt);
    }
}
