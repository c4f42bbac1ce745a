package io.tribune.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.api.PageResponse;
import io.tribune.api.errors.ApiException;
import io.tribune.api.notify.Channel;
import io.tribune.api.notify.NotificationKind;
import io.tribune.api.notify.Notifications;
import io.tribune.events.CaptionEvents;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meeting transcripts in PostgreSQL: the final captions the consumer stores (one row per phrase, upserted by phrase
 * id), a meeting's or a recording's transcript with chapters and summary for those who may read it, full-text
 * search (PostgreSQL text search, English configuration) over the meetings the caller may read, and the summary
 * stored when a meeting ends, and sent to the participants who consented to a recording of it when its host
 * shares it (the meeting setting {@code share_summary}, or the recording's "send" button).
 *
 * <p>Who reads what: a meeting's transcript, those who may see the meeting ({@link MeetingAccess#canView()}: host,
 * invitees, admins); a recording's transcript, those who may play the recording ({@link RecordingCatalogue}'s
 * rule, so sharing a recording shares its transcript). Others get 404. Thread-safe.
 */
public final class Transcripts {

    private static final Logger LOG = LoggerFactory.getLogger(Transcripts.class);

    /** Longest phrase stored; the worker's phrases are a few hundred characters at most. */
    public static final int MAX_TEXT = 10_000;

    /** Marks ts_headline puts around matches: control characters, which stored text never contains. */
    private static final String START_MARK = "\u0001";
    private static final String STOP_MARK = "\u0002";

    private static final String SEGMENT_COLUMNS = "id, meeting_id, phrase_id, participant_id, speaker_name, text, "
            + "start_at, end_at";

    private static final RowMapper<TranscriptSegment> SEGMENT = (rs, ctx) -> new TranscriptSegment(rs.getLong("id"),
            rs.getString("meeting_id"), rs.getString("phrase_id"), rs.getString("participant_id"),
            rs.getString("speaker_name"), rs.getString("text"), rs.getTimestamp("start_at").toInstant(),
            rs.getTimestamp("end_at").toInstant());

    /**
     * The meetings a caller may read (binds {@code :caller}, {@code :admin}, {@code :email}; the meeting is
     * {@code m}): the same rule as {@link MeetingAccess#canView()}.
     */
    static final String MEETING_VIEW_SQL = "(:admin OR m.host_id = :caller OR EXISTS (SELECT 1 FROM "
            + "meeting_participants mp WHERE mp.meeting_id = m.id AND (mp.user_id = :caller OR "
            + "(CAST(:email AS text) IS NOT NULL AND lower(mp.email) = lower(:email)))))";

    /** A meeting's or recording's transcript, offsets from {@code origin}. */
    public record Transcript(String meetingId, String recordingId, Instant origin, List<TranscriptSegment> segments,
                             List<TranscriptAnalysis.Chapter> chapters, TranscriptAnalysis.Summary summary) {
    }

    /** One search hit: the segment, where it sits, and its snippet split into plain and matching parts. */
    public record Hit(String meetingId, String meetingTitle, String recordingId, long segmentId, long offsetMillis,
                      String name, Instant start, List<Part> parts) {
    }

    /** A piece of a snippet; {@code match}: the words matched the query. */
    public record Part(String text, boolean match) {
    }

    private final Jdbi jdbi;
    private final MeetingScheduler scheduler;
    private final RecordingCatalogue catalogue;
    private final ObjectMapper json;
    private final Duration chapterPause;
    private final Duration minimumChapter;
    private final Clock clock;
    private final Notifications notifications;
    private final String appUrl;

    /**
     * @param notifications the fan-out the summaries go through (mail, push, in-app, as each recipient allows)
     * @param appUrl        the web client's address ({@code <publicUrl>/app/}), for links in the notifications
     */
    public Transcripts(Jdbi jdbi, MeetingScheduler scheduler, RecordingCatalogue catalogue, ObjectMapper json,
                       Duration chapterPause, Duration minimumChapter, Clock clock, Notifications notifications,
                       String appUrl) {
        this.jdbi = Objects.requireNonNull(jdbi);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.catalogue = Objects.requireNonNull(catalogue);
        this.json = Objects.requireNonNull(json);
        this.chapterPause = Objects.requireNonNull(chapterPause);
        this.minimumChapter = Objects.requireNonNull(minimumChapter);
        this.clock = Objects.requireNonNull(clock);
        this.notifications = Objects.requireNonNull(notifications);
        this.appUrl = Objects.requireNonNull(appUrl);
    }

    /**
     * Stores a final caption, or replaces the stored one with the same phrase id in the same meeting (a replay or a
     * duplicate changes nothing). The caller validated it.
     *
     * @return false when its meeting does not exist (the caption cannot be stored)
     */
    public boolean store(CaptionEvents.Caption caption) {
        return jdbi.inTransaction(handle -> {
            boolean meeting = handle.createQuery("SELECT EXISTS (SELECT 1 FROM meetings WHERE id = :id)")
                    .bind("id", caption.meetingId()).mapTo(Boolean.class).one();
            if (!meeting) {
                return false;
            }
            handle.createUpdate("INSERT INTO transcript_segments (meeting_id, phrase_id, participant_id, "
                            + "speaker_name, track_id, text, start_at, end_at, received_at) VALUES (:meeting, "
                            + ":phrase, :participant, :name, :track, :text, :start, :end, :now) "
                            + "ON CONFLICT (meeting_id, phrase_id) DO UPDATE SET participant_id = "
                            + "EXCLUDED.participant_id, speaker_name = EXCLUDED.speaker_name, "
                            + "track_id = EXCLUDED.track_id, text = EXCLUDED.text, start_at = EXCLUDED.start_at, "
                            + "end_at = EXCLUDED.end_at")
                    .bind("meeting", caption.meetingId())
                    .bind("phrase", caption.phraseId())
                    .bind("participant", caption.participantId())
                    .bind("name", clean(caption.displayName()))
                    .bind("track", caption.trackId())
                    .bind("text", clean(caption.text()))
                    .bind("start", caption.start())
                    .bind("end", caption.end())
                    .bind("now", clock.instant())
                    .execute();
            return true;
        });
    }

    /** Control characters out (they would confuse the snippet marks and the file formats), spaces trimmed. */
    static String clean(String text) {
        return text == null ? null : text.replaceAll("[\\p{Cntrl}&&[^\\t]]", " ").strip();
    }

    /** The whole transcript of a meeting, offsets from its first phrase. */
    public Transcript ofMeeting(Caller caller, String meetingId) {
        MeetingAccess.of(scheduler.get(meetingId), caller).requireView();
        return jdbi.withHandle(handle -> {
            List<TranscriptSegment> segments = handle.createQuery("SELECT " + SEGMENT_COLUMNS
                            + " FROM transcript_segments WHERE meeting_id = :meeting ORDER BY start_at, id")
                    .bind("meeting", meetingId).map(SEGMENT).list();
            Instant origin = segments.isEmpty() ? null : segments.get(0).start();
            TranscriptAnalysis.Summary summary = storedSummary(handle, meetingId)
                    .map(s -> s.rebased(origin))
                    .orElseGet(() -> TranscriptAnalysis.summary(segments, origin));
            return new Transcript(meetingId, null, origin, segments, chapters(segments, origin), summary);
        });
    }

    /**
     * The part of a meeting's transcript within one recording, offsets from the recording's start (so a player
     * seeks to them). 404 when the caller may not play the recording.
     */
    public Transcript ofRecording(Caller caller, String recordingId) {
        Recording recording = catalogue.get(caller, recordingId).recording();
        return jdbi.withHandle(handle -> ofRecording(handle, recording));
    }

    private Transcript ofRecording(Handle handle, Recording recording) {
        Instant origin = recording.startedAt();
        // The recording's end: when it was stopped, or later when the archive's video runs longer than that.
        Instant to = recording.stoppedAt();
        if (to != null && recording.durationMillis() != null) {
            Instant byDuration = origin.plusMillis(recording.durationMillis());
            to = byDuration.isAfter(to) ? byDuration : to;
        }
        List<TranscriptSegment> segments = handle.createQuery("SELECT " + SEGMENT_COLUMNS
                        + " FROM transcript_segments WHERE meeting_id = :meeting AND end_at >= :from "
                        + "AND (CAST(:to AS timestamptz) IS NULL OR start_at <= :to) ORDER BY start_at, id")
                .bind("meeting", recording.meetingId())
                .bind("from", origin)
                .bind("to", to)
                .map(SEGMENT).list();
        return new Transcript(recording.meetingId(), recording.id(), origin, segments, chapters(segments, origin),
                TranscriptAnalysis.summary(segments, origin));
    }

    private List<TranscriptAnalysis.Chapter> chapters(List<TranscriptSegment> segments, Instant origin) {
        return TranscriptAnalysis.chapters(segments, origin, chapterPause, minimumChapter);
    }

    private Optional<TranscriptAnalysis.Summary> storedSummary(Handle handle, String meetingId) {
        return handle.createQuery("SELECT CAST(summary AS text) FROM transcript_summaries WHERE meeting_id = :id")
                .bind("id", meetingId).mapTo(String.class).findOne().map(text -> {
                    try {
                        return json.readValue(text, TranscriptAnalysis.Summary.class);
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * The meeting ended: its summary is computed from every stored phrase and kept (replacing one from an earlier
     * end). Nothing is stored for a meeting without phrases. When the meeting's host shares summaries (setting
     * {@code share_summary}), each of its recordings' summaries goes to the participants who consented to that
     * recording, in the same transaction and with the same notification ids as {@link #sendSummary}: a redelivered
     * {@code meeting.ended}, or the host's send afterwards, delivers nothing twice.
     *
     * @return the stored summary, or empty when the meeting has no transcript
     */
    public Optional<TranscriptAnalysis.Summary> summarizeEnded(String meetingId) {
        return jdbi.inTransaction(handle -> {
            List<TranscriptSegment> segments = handle.createQuery("SELECT " + SEGMENT_COLUMNS
                            + " FROM transcript_segments WHERE meeting_id = :meeting ORDER BY start_at, id")
                    .bind("meeting", meetingId).map(SEGMENT).list();
            if (segments.isEmpty()) {
                return Optional.empty();
            }
            TranscriptAnalysis.Summary summary = TranscriptAnalysis.summary(segments, segments.get(0).start());
            String document;
            try {
                document = json.writeValueAsString(summary);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            handle.createUpdate("INSERT INTO transcript_summaries (meeting_id, summary, segments, created_at) "
                            + "VALUES (:meeting, CAST(:summary AS jsonb), :segments, :now) ON CONFLICT (meeting_id) "
                            + "DO UPDATE SET summary = EXCLUDED.summary, segments = EXCLUDED.segments, "
                            + "created_at = EXCLUDED.created_at")
                    .bind("meeting", meetingId).bind("summary", document).bind("segments", segments.size())
                    .bind("now", clock.instant()).execute();
            if (sharesSummaries(handle, meetingId)) {
                List<Recording> recordings = handle.createQuery("SELECT " + RecordingCatalogue.COLUMNS
                                + " FROM recordings WHERE meeting_id = :meeting AND status IN ('recording', "
                                + "'processing', 'ready') ORDER BY started_at, id")
                        .bind("meeting", meetingId).map(RecordingCatalogue.MAPPER).list();
                for (Recording recording : recordings) {
                    Transcript transcript = ofRecording(handle, recording);
                    if (transcript.summary() != null) {
                        int recipients = shareSummary(handle, transcript);
                        LOG.info("Shared the summary of recording {} of meeting {} with {} participant(s)",
                                recording.id(), meetingId, recipients);
                    }
                }
            }
            return Optional.of(summary);
        });
    }

    /**
     * Full-text search ({@code websearch_to_tsquery}: words, "quoted phrases", {@code or}, {@code -excluded}) over
     * the transcripts of the meetings the caller may read, best match first. Each hit names the newest recording
     * that covers it and that the caller may play (with the offset into it), else its offset from the meeting's
     * first phrase.
     *
     * @throws ApiException 400 {@code invalid_request} when the query is blank or too long
     */
    public PageResponse<Hit> search(Caller caller, String query, int page, int size) {
        if (query == null || query.isBlank()) {
            throw new ApiException(400, "invalid_request", "Give the words to search for (q).",
                    Map.of("q", "is required"));
        }
        if (query.length() > 200) {
            throw new ApiException(400, "invalid_request", "The search is too long (at most 200 characters).",
                    Map.of("q", "must be at most 200 characters"));
        }
        String from = " FROM transcript_segments s JOIN meetings m ON m.id = s.meeting_id CROSS JOIN "
                + "websearch_to_tsquery('english', :q) query";
        String where = " WHERE s.search @@ query AND " + MEETING_VIEW_SQL;
        // The newest recording that covers the phrase and that the caller may play (its end as in ofRecording).
        String recording = " LEFT JOIN LATERAL (SELECT r.id, r.started_at FROM recordings r WHERE r.meeting_id = "
                + "s.meeting_id AND r.status <> 'deleted' AND r.started_at <= s.end_at AND (r.stopped_at IS NULL "
                + "OR GREATEST(r.stopped_at, r.started_at + COALESCE(r.duration_ms, 0) * interval '1 millisecond') "
                + ">= s.start_at) AND " + RecordingCatalogue.VIEW_SQL
                + " ORDER BY r.started_at DESC LIMIT 1) rec ON true";
        return jdbi.withHandle(handle -> {
            long total = RecordingCatalogue.bindCaller(handle.createQuery("SELECT count(*)" + from + where), caller)
                    .bind("q", query).mapTo(Long.class).one();
            List<Hit> hits = RecordingCatalogue.bindCaller(handle.createQuery("SELECT s.id, s.meeting_id, "
                            + "m.title, s.speaker_name, s.start_at, rec.id AS recording_id, rec.started_at AS "
                            + "recording_start, (SELECT min(f.start_at) FROM transcript_segments f WHERE "
                            + "f.meeting_id = s.meeting_id) AS meeting_start, "
                            + "ts_headline('english', s.text, query, :options) AS snippet" + from + recording + where
                            + " ORDER BY ts_rank(s.search, query) DESC, s.start_at DESC, s.id LIMIT :limit "
                            + "OFFSET :offset"), caller)
                    .bind("options", "StartSel=" + START_MARK + ", StopSel=" + STOP_MARK
                            + ", MaxWords=35, MinWords=15")
                    .bind("q", query)
                    .bind("limit", size)
                    .bind("offset", (long) (page - 1) * size)
                    .map((rs, ctx) -> {
                        Instant start = rs.getTimestamp("start_at").toInstant();
                        Timestamp recordingStart = rs.getTimestamp("recording_start");
                        Instant origin = recordingStart != null ? recordingStart.toInstant()
                                : rs.getTimestamp("meeting_start").toInstant();
                        return new Hit(rs.getString("meeting_id"), rs.getString("title"),
                                rs.getString("recording_id"), rs.getLong("id"),
                                Math.max(0, Duration.between(origin, start).toMillis()),
                                rs.getString("speaker_name"), start, parts(rs.getString("snippet")));
                    })
                    .list();
            return new PageResponse<>(hits, page, size, total);
        });
    }

    /** The template of the summary mail (notification-worker's {@code templates/transcript_summary.*}). */
    public static final String SUMMARY_TEMPLATE = "transcript_summary";

    /**
     * Sends the recording's summary to the participants who acknowledged the recording while signed in (guests
     * have no account to reach), kind {@code transcripts}: a mail, a push to each of their browsers and an in-app
     * notification, as each of them allows. Only those who manage the recording may send it: sending is the host's
     * choice (or the meeting's {@code share_summary}). The notification ids are fixed per recording and person
     * (the mail's {@code transcript-summary-<recording>-<user>}), so sending again delivers nothing twice
     * (notification-worker's delivery log, the in-app row's id).
     *
     * @return how many people it went to on at least one channel
     * @throws ApiException 404 when the caller may not see the recording, 403 when they may not manage it, 409
     *                      {@code no_transcript} when the recording has no transcript
     */
    public int sendSummary(Caller caller, String recordingId) {
        Recording recording = catalogue.managed(caller, recordingId, "send the summary of a recording").recording();
        return jdbi.inTransaction(handle -> {
            Transcript transcript = ofRecording(handle, recording);
            if (transcript.summary() == null) {
                throw new ApiException(409, "no_transcript", "This recording has no transcript to summarise.",
                        Map.of("recording_id", recordingId));
            }
            return shareSummary(handle, transcript);
        });
    }

    private static boolean sharesSummaries(Handle handle, String meetingId) {
        return handle.createQuery("SELECT share_summary FROM meetings WHERE id = :id")
                .bind("id", meetingId).mapTo(Boolean.class).findOne().orElse(false);
    }

    /** The summary to each consenting participant; how many it reached. */
    private int shareSummary(Handle handle, Transcript transcript) {
        TranscriptAnalysis.Summary summary = transcript.summary();
        String recordingId = transcript.recordingId();
        String title = handle.createQuery("SELECT title FROM meetings WHERE id = :id")
                .bind("id", transcript.meetingId()).mapTo(String.class).findOne().orElse("Meeting");
        String url = appUrl + "#/recordings/" + recordingId;
        Map<String, String> params = Map.of("title", title,
                "url", url,
                "key_points", lines(summary.keyPoints()),
                "action_items", lines(summary.actionItems()),
                "decisions", lines(summary.decisions()));
        Notifications.Message message = new Notifications.Message(SUMMARY_TEMPLATE, params,
                "Meeting summary: " + title, summaryLine(summary), url).pushedAsNotice();
        List<String> recipients = handle.createQuery("SELECT DISTINCT rc.user_id FROM recording_consents rc "
                        + "JOIN users u ON CAST(u.id AS text) = rc.user_id WHERE rc.recording_id = :id "
                        + "AND u.deleted_at IS NULL AND NOT u.disabled ORDER BY rc.user_id")
                .bind("id", recordingId).mapTo(String.class).list();
        int reached = 0;
        for (String userId : recipients) {
            Set<Channel> channels = notifications.notify(handle, userId, NotificationKind.TRANSCRIPTS,
                    "transcript.summary|" + recordingId, message,
                    Notifications.Delivery.EVERY_CHANNEL.withEmailId(summaryMailId(recordingId, userId)));
            reached += channels.isEmpty() ? 0 : 1;
        }
        return reached;
    }

    /** The summary mail's notification id: one per recording and person, whoever sends it and how often. */
    static String summaryMailId(String recordingId, String userId) {
        return "transcript-summary-" + recordingId + "-" + userId;
    }

    /** The summary in one line (the in-app body and the push): how many of each, and the first key point. */
    static String summaryLine(TranscriptAnalysis.Summary summary) {
        String counts = count(summary.keyPoints().size(), "key point") + ", "
                + count(summary.actionItems().size(), "action item") + ", "
                + count(summary.decisions().size(), "decision") + ".";
        if (summary.keyPoints().isEmpty()) {
            return counts;
        }
        String first = summary.keyPoints().get(0).text();
        return counts + " First: " + (first.length() > 140 ? first.substring(0, 139).strip() + "\u2026" : first);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Summary items as mail lines: "- text (Name, 1:23)"; "None." for none. */
    static String lines(List<TranscriptAnalysis.Item> items) {
        if (items.isEmpty()) {
            return "None.";
        }
        StringBuilder out = new StringBuilder();
        for (TranscriptAnalysis.Item item : items) {
            long seconds = item.offsetMillis() / 1000;
            out.append(out.isEmpty() ? "" : "\n").append("- ").append(item.text()).append(" (").append(item.name())
                    .append(", ").append(String.format(java.util.Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60))
                    .append(')');
        }
        return out.toString();
    }

    /** Splits a ts_headline snippet at its marks into plain and matching parts (no HTML ever reaches a client). */
    static List<Part> parts(String snippet) {
        List<Part> parts = new ArrayList<>();
        boolean match = false;
        int at = 0;
        while (at <= snippet.length()) {
            int next = snippet.indexOf(match ? STOP_MARK : START_MARK, at);
            String text = snippet.substring(at, next < 0 ? snippet.length() : next);
            if (!text.isEmpty()) {
                if (!parts.isEmpty() && parts.get(parts.size() - 1).match() == match) {
                    Part last = parts.remove(parts.size() - 1);
                    parts.add(new Part(last.text() + text, match));
                } else {
                    parts.add(new Part(text, match));
                }
            }
            if (next < 0) {
                break;
            }
            at = next + 1;
            match = !match;
        }
        return parts;
    }
}
