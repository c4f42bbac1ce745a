package io.tribune.api.core;

/**
 * How a meeting behaves when people join. Immutable.
 *
 * @param lobby                people who were not invited (and guests) wait until a host or co-host admits them
 * @param joinBeforeHost       whether anyone but the host and co-hosts may get in before the host has joined
 * @param muteOnEntry          whether clients start with their microphone muted
 * @param recordingAllowed     whether the host and co-hosts may record
 * @param transcriptionAllowed whether live captions and transcripts may be made
 * @param maxParticipants      most people connected at once
 * @param allowGuests          whether people without an account may join (with the passcode)
 * @param autoRecord           whether recording starts by itself when the host (or a co-host) opens the meeting
 *                             (needs {@code recordingAllowed})
 * @param recordingRetentionDays how many days this meeting's recordings are kept; 0: the deployment's
 *                             {@code recordings.retention}
 * @param autoCaptions         whether live captions start by themselves when the host (or a co-host) opens the
 *                             meeting (needs {@code transcriptionAllowed})
 * @param shareSummary         whether the summary stored at the meeting's end goes by itself to the participants
 *                             who consented to a recording of it (else only when a manager sends it)
 */
public record MeetingSettings(boolean lobby, boolean joinBeforeHost, boolean muteOnEntry, boolean recordingAllowed,
                              boolean transcriptionAllowed, int maxParticipants, boolean allowGuests,
                              boolean autoRecord, int recordingRetentionDays, boolean autoCaptions,
                              boolean shareSummary) {

    /** Largest {@code max_participants} accepted. */
    public static final int MAX_PARTICIPANTS_LIMIT = 100_000;

    /** Longest {@code recording_retention_days} accepted (ten years). */
    public static final int MAX_RETENTION_DAYS = 3650;

    /** Defaults of a new meeting of {@code kind}: lobby on, passcode required, no guests. */
    public static MeetingSettings defaults(MeetingKind kind) {
        return kind == MeetingKind.TOWN_HALL
                ? new MeetingSettings(false, false, true, true, true, 10_000, false, false, 0, false, false)
                : new MeetingSettings(true, false, false, true, true, 100, false, false, 0, false, false);
    }
}
