package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.tribune.api.api.CreateMeetingRequest;
import io.tribune.api.api.MeetingSettingsRequest;
import io.tribune.api.api.UpdateMeetingRequest;
import io.tribune.api.core.Caller;
import io.tribune.api.core.MeetingDraft;
import io.tribune.api.core.MeetingKind;
import io.tribune.api.core.MeetingPatch;
import io.tribune.api.core.MeetingRole;
import io.tribune.api.core.MeetingSchedule;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.MeetingSettings;
import io.tribune.api.core.MeetingsConfiguration;
import io.tribune.api.core.ParticipantSpec;
import io.tribune.api.core.TimeInput;
import io.tribune.api.errors.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks meeting requests field by field and turns them into domain inputs. Every problem is a 400
 * {@code validation_failed} whose {@code details} name the field as the client spelled it
 * ({@code participants[2].role}, {@code settings.passcode}). Text is kept verbatim (it is escaped where it is
 * written out: JSON, ICS); only control characters are refused. Thread-safe (stateless apart from the clock).
 */
final class MeetingRequests {

    static final int MAX_TITLE = 200;
    static final int MAX_PARTICIPANTS = 500;
    static final int MAX_DISPLAY_NAME = 100;
    static final String INSTANT_MEETING_TITLE = "Instant meeting";
    /** The zone of a meeting created without {@code time_zone}. */
    static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

    /** Passcodes people can type and read out: 4-32 letters, digits and a few marks. */
    private static final Pattern PASSCODE = Pattern.compile("^[A-Za-z0-9@*_.-]{4,32}$");
    private static final Pattern USER_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern EMAIL =
            Pattern.compile("^[^@\\s<>()\\[\\],;:\"\\\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,63}$");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Set<String> PARTICIPANT_FIELDS = Set.of("user_id", "email", "role");

    private final MeetingsConfiguration configuration;
    private final Clock clock;

    MeetingRequests(MeetingsConfiguration configuration, Clock clock) {
        this.configuration = configuration;
        this.clock = clock;
    }

    MeetingDraft create(CreateMeetingRequest request, Caller caller) {
        if (request == null) {
            throw TimeInput.invalid("body", "is required");
        }
        if (request.hostId() != null && !request.hostId().equals(caller.userId())) {
            throw new ApiException(403, "forbidden", "host_id must be your own user id.",
                    Map.of("host_id", "must be your own user id"));
        }
        MeetingKind kind = request.kind() == null ? MeetingKind.MEETING : MeetingKind.parse(request.kind())
                .orElseThrow(() -> TimeInput.invalid("kind", "must be meeting or town_hall"));
        ZoneId zone = request.timeZone() == null ? DEFAULT_ZONE
                : TimeInput.zone("time_zone", request.timeZone());
        boolean startNow = Boolean.TRUE.equals(request.startNow());
        Instant start;
        if (startNow) {
            if (request.startTime() != null) {
                throw TimeInput.invalid("start_time", "must be left out with start_now");
            }
            start = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        } else {
            start = TimeInput.parse("start_time", request.startTime(), zone);
        }
        Instant end = request.endTime() != null ? TimeInput.parse("end_time", request.endTime(), zone)
                : start.plus(Duration.ofMillis(configuration.getDefaultDuration().toMilliseconds()));
        if (!end.isAfter(start)) {
            throw TimeInput.invalid("end_time", "must be after start_time");
        }
        String title = request.title() == null && startNow ? INSTANT_MEETING_TITLE : title(request.title());
        MeetingSchedule schedule = MeetingScheduler.schedule(start, end, zone, request.recurrence(),
                configuration.getMaxOccurrences());
        MeetingSettings settings = settings(request.settings(), MeetingSettings.defaults(kind));
        String passcode = request.settings() == null ? null : passcode(request.settings().passcode());
        return new MeetingDraft(title, kind, schedule, participants(request.participants()), settings, passcode,
                Boolean.TRUE.equals(request.allowOverlap()));
    }

    MeetingPatch update(UpdateMeetingRequest request, JsonNode body) {
        if (request == null || body == null || !body.isObject()) {
            throw TimeInput.invalid("body", "must be a JSON object");
        }
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        if (fields.isEmpty()) {
            throw TimeInput.invalid("body", "must name at least one field to change");
        }
        if (request.kind() != null) {
            throw TimeInput.invalid("kind", "cannot be changed; schedule a new meeting instead");
        }
        if (request.hostId() != null) {
            throw TimeInput.invalid("host_id", "cannot be changed");
        }
        for (String field : List.of("title", "start_time", "end_time", "time_zone", "participants", "settings",
                "occurrence")) {
            if (body.has(field) && body.get(field).isNull()) {
                throw TimeInput.invalid(field, "must not be null");
            }
        }
        ZoneId zone = request.timeZone() == null ? null : TimeInput.zone("time_zone", request.timeZone());
        MeetingPatch.SettingsPatch settings = null;
        if (request.settings() != null) {
            MeetingSettingsRequest s = request.settings();
            checkSettings(s);
            settings = new MeetingPatch.SettingsPatch(passcode(s.passcode()), s.lobby(), s.joinBeforeHost(),
                    s.muteOnEntry(), s.recordingAllowed(), s.transcriptionAllowed(), s.maxParticipants(),
                    s.allowGuests(), s.autoRecord(), s.recordingRetentionDays(), s.autoCaptions(),
                    s.shareSummary());
        }
        return new MeetingPatch(request.title() == null ? null : title(request.title()), request.startTime(),
                request.endTime(), zone, body.has("recurrence"), request.recurrence(),
                request.participants() == null ? null : participants(request.participants()), settings,
                Boolean.TRUE.equals(request.allowOverlap()), request.occurrence(), fields);
    }

    static String title(String value) {
        if (value == null || value.isBlank()) {
            throw TimeInput.invalid("title", "must not be blank");
        }
        if (value.length() > MAX_TITLE) {
            throw TimeInput.invalid("title", "must be at most " + MAX_TITLE + " characters");
        }
        if (CONTROL.matcher(value).find()) {
            throw TimeInput.invalid("title", "must not contain control characters such as line breaks");
        }
        return value.strip();
    }

    /** A guest's (or a member's chosen) display name; null stays null. */
    static String displayName(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_DISPLAY_NAME || CONTROL.matcher(value).find()) {
            throw TimeInput.invalid("display_name", "must be 1-" + MAX_DISPLAY_NAME
                    + " characters without control characters");
        }
        return value.strip();
    }

    private static String passcode(String value) {
        if (value == null) {
            return null;
        }
        if (!PASSCODE.matcher(value).matches()) {
            throw TimeInput.invalid("settings.passcode", "must be 4-32 letters, digits or @ * _ . -");
        }
        return value;
    }

    private static MeetingSettings settings(MeetingSettingsRequest request, MeetingSettings defaults) {
        if (request == null) {
            return defaults;
        }
        checkSettings(request);
        return new MeetingPatch.SettingsPatch(null, request.lobby(), request.joinBeforeHost(), request.muteOnEntry(),
                request.recordingAllowed(), request.transcriptionAllowed(), request.maxParticipants(),
                request.allowGuests(), request.autoRecord(), request.recordingRetentionDays(), request.autoCaptions(),
                request.shareSummary())
                .applyTo(defaults);
    }

    private static void checkSettings(MeetingSettingsRequest request) {
        Integer max = request.maxParticipants();
        if (max != null && (max < 1 || max > MeetingSettings.MAX_PARTICIPANTS_LIMIT)) {
            throw TimeInput.invalid("settings.max_participants", "must be between 1 and "
                    + MeetingSettings.MAX_PARTICIPANTS_LIMIT);
        }
        Integer retention = request.recordingRetentionDays();
        if (retention != null && (retention < 0 || retention > MeetingSettings.MAX_RETENTION_DAYS)) {
            throw TimeInput.invalid("settings.recording_retention_days", "must be between 1 and "
                    + MeetingSettings.MAX_RETENTION_DAYS + " days, or 0 for the deployment's default");
        }
    }

    static List<ParticipantSpec> participants(List<JsonNode> entries) {
        if (entries == null) {
            return List.of();
        }
        if (entries.size() > MAX_PARTICIPANTS) {
            throw TimeInput.invalid("participants", "must list at most " + MAX_PARTICIPANTS + " people");
        }
        List<ParticipantSpec> specs = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            specs.add(participant(i, entries.get(i)));
        }
        return specs;
    }

    private static ParticipantSpec participant(int index, JsonNode node) {
        String field = "participants[" + index + "]";
        if (node != null && node.isTextual()) {
            return reference(index, field, node.textValue(), null);
        }
        if (node == null || !node.isObject()) {
            throw TimeInput.invalid(field, "must be a user id, an email address or an object with user_id or "
                    + "email and role");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PARTICIPANT_FIELDS.contains(name)) {
                throw TimeInput.invalid(field + "." + name, "is not a known field");
            }
            if (!node.get(name).isTextual()) {
                throw TimeInput.invalid(field + "." + name, "must be a string");
            }
        }
        boolean hasUser = node.has("user_id");
        if (hasUser == node.has("email")) {
            throw TimeInput.invalid(field, "must have either user_id or email");
        }
        MeetingRole role = null;
        if (node.has("role")) {
            role = MeetingRole.parse(node.get("role").textValue())
                    .filter(MeetingRole.ASSIGNABLE::contains)
                    .orElseThrow(() -> TimeInput.invalid(field + ".role",
                            "must be co_host, panelist, participant or attendee"));
        }
        String value = hasUser ? node.get("user_id").textValue() : node.get("email").textValue();
        String valueField = field + (hasUser ? ".user_id" : ".email");
        if (hasUser != !value.contains("@")) {
            throw TimeInput.invalid(valueField, hasUser ? "must be a user id" : "must be an email address");
        }
        return reference(index, valueField, value, role);
    }

    private static ParticipantSpec reference(int index, String field, String raw, MeetingRole role) {
        String value = raw.strip();
        if (value.contains("@")) {
            if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
                throw TimeInput.invalid(field, "is not a valid email address");
            }
            return new ParticipantSpec(index, null, value, role);
        }
        if (!USER_ID.matcher(value).matches()) {
            throw TimeInput.invalid(field, "is not a user id or an email address");
        }
        return new ParticipantSpec(index, value, null, role);
    }
}
