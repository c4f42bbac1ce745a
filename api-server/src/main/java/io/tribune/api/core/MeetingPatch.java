package io.tribune.api.core;

import java.time.ZoneId;
import java.util.List;

/**
 * A checked edit: null fields stay as they are. Times stay text until the meeting (and so the zone that local
 * times are read in) is known. {@code recurrenceGiven} tells "leave the rule" (false) from "set it to
 * {@code recurrence}", where null stops the series. {@code occurrence} set means the edit is for that occurrence
 * only; {@code fieldsGiven} names the request's fields, to refuse those an occurrence cannot change. Immutable.
 */
public record MeetingPatch(String title, String startTime, String endTime, ZoneId timeZone,
                           boolean recurrenceGiven, String recurrence, List<ParticipantSpec> participants,
                           SettingsPatch settings, boolean allowOverlap, String occurrence, List<String> fieldsGiven) {

    public MeetingPatch {
        participants = participants == null ? null : List.copyOf(participants);
        fieldsGiven = List.copyOf(fieldsGiven);
    }

    /** Changed settings; null fields stay. */
    public record SettingsPatch(String passcode, Boolean lobby, Boolean joinBeforeHost, Boolean muteOnEntry,
                                Boolean recordingAllowed, Boolean transcriptionAllowed, Integer maxParticipants,
                                Boolean allowGuests, Boolean autoRecord, Integer recordingRetentionDays,
                                Boolean autoCaptions, Boolean shareSummary) {

        public MeetingSettings applyTo(MeetingSettings current) {
            return new MeetingSettings(
                    lobby != null ? lobby : current.lobby(),
                    joinBeforeHost != null ? joinBeforeHost : current.joinBeforeHost(),
                    muteOnEntry != null ? muteOnEntry : current.muteOnEntry(),
                    recordingAllowed != null ? recordingAllowed : current.recordingAllowed(),
                    transcriptionAllowed != null ? transcriptionAllowed : current.transcriptionAllowed(),
                    maxParticipants != null ? maxParticipants : current.maxParticipants(),
                    allowGuests != null ? allowGuests : current.allowGuests(),
                    autoRecord != null ? autoRecord : current.autoRecord(),
                    recordingRetentionDays != null ? recordingRetentionDays : current.recordingRetentionDays(),
                    autoCaptions != null ? autoCaptions : current.autoCaptions(),
                    shareSummary != null ? shareSummary : current.shareSummary());
        }
    }
}
