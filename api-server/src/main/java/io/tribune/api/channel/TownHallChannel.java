package io.tribune.api.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.api.api.BroadcastResponse;
import io.tribune.api.api.PlaybackResponse;
import io.tribune.api.api.QuestionResponse;
import io.tribune.api.core.BroadcastPlayback;
import io.tribune.api.core.Meeting;
import io.tribune.api.core.MeetingKind;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.core.TownHallBroadcasts;
import io.tribune.api.core.TownHallQuestions;
import io.tribune.api.errors.ApiException;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The town-hall part of the meeting channel: the broadcast's state and the viewer's playback pass, and Q&A.
 *
 * <p>Client messages: {@code broadcast.state}, {@code broadcast.playback}, {@code question.list},
 * {@code question.ask {text}}, {@code question.vote {question_id}}, {@code question.answer {question_id}}
 * (panelists, co-hosts and the host). Server events: {@code broadcast.state} (also published to everyone when a
 * host starts or stops the broadcast), {@code broadcast.playback} (to the asker alone), {@code question.list}
 * (to the asker), {@code question.updated} (to everyone, after an ask, a vote or an answer).
 *
 * <p>The viewer count is the number of audience members (attendees and guests) on the meeting's roster, counted
 * in Redis by a script and remembered for {@link #VIEWER_COUNT_AGE} per meeting on each instance, so that
 * thousands of viewers asking cost one count every few seconds. Thread-safe.
 */
final class TownHallChannel {

    static final Set<String> TYPES = Set.of("broadcast.state", "broadcast.playback", "question.list",
            "question.ask", "question.vote", "question.answer");
    static final Duration VIEWER_COUNT_AGE = Duration.ofSeconds(2);
    private static final Set<String> ANSWERING_ROLES = Set.of("host", "co_host", "panelist");

    /** Counts roster entries whose role is an audience role (attendee or guest). */
    private static final String COUNT_AUDIENCE = """
            local n = 0
            for _, entry in ipairs(redis.call('HVALS', KEYS[1])) do
              local role = cjson.decode(entry)['role']
              if role == 'attendee' or role == 'guest' then n = n + 1 end
            end
            return n
            """;

    private record Count(long viewers, Instant at) {
    }

    private final ChannelHub hub;
    private final RedissonManager redis;
    private final MeetingScheduler scheduler;
    private final TownHallBroadcasts broadcasts;
    private final TownHallQuestions questions;
    private final BroadcastPlayback playback;
    private final MeetingLinks links;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    TownHallChannel(ChannelHub hub, RedissonManager redis, MeetingScheduler scheduler, TownHallBroadcasts broadcasts,
                    TownHallQuestions questions, BroadcastPlayback playback, MeetingLinks links, ObjectMapper json,
                    Clock clock) {
        this.hub = hub;
        this.redis = redis;
        this.scheduler = scheduler;
        this.broadcasts = broadcasts;
        this.questions = questions;
        this.playback = playback;
        this.links = links;
        this.json = json;
        this.clock = clock;
    }

    ObjectNode handle(ChannelTicket ticket, String type, JsonNode message) throws ChannelException {
        try {
            return switch (type) {
                case "broadcast.state" -> stateEvent(townHall(ticket).id());
                case "broadcast.playback" -> event("broadcast.playback").set("playback",
                        json.valueToTree(PlaybackResponse.of(playback.pass(townHall(ticket).id()))));
                case "question.list" -> event("question.list").set("questions",
                        json.valueToTree(QuestionResponse.of(questions.list(ticket.meetingId(),
                                ticket.participantId()))));
                case "question.ask" -> {
                    if (!ticket.may("chat")) {
                        throw new ChannelException("forbidden", "You may not ask questions in this meeting.");
                    }
                    JsonNode text = message.get("text");
                    if (text == null || !text.isTextual()) {
                        throw new ChannelException("invalid_question", "question.ask needs a text.");
                    }
                    updated(ticket, questions.ask(ticket.meetingId(), ticket.participantId(), ticket.name(),
                            text.asText()));
                    yield null;
                }
                case "question.vote" -> {
                    updated(ticket, questions.upvote(ticket.meetingId(), questionId(message),
                            ticket.participantId()));
                    yield null;
                }
                case "question.answer" -> {
                    if (!ANSWERING_ROLES.contains(ticket.role())) {
                        throw new ChannelException("forbidden", "Only panelists and hosts mark questions answered.");
                    }
                    updated(ticket, questions.answer(ticket.meetingId(), questionId(message),
                            ticket.participantId()));
                    yield null;
                }
                default -> throw new ChannelException("unknown_type", "Unknown message type '" + type + "'.");
            };
        } catch (ApiException e) {
            throw new ChannelException(e.code(), e.getMessage());
        }
    }

    /** Tells every member of the meeting the broadcast's state (after a start or stop). */
    void announce(String meetingId) {
        hub.publish(meetingId, stateEvent(meetingId));
    }

    /** Audience members connected to the meeting's channel, counted at most every {@link #VIEWER_COUNT_AGE}. */
    long viewers(String meetingId) {
        Instant now = clock.instant();
        Count count = counts.compute(meetingId, (id, known) -> known != null
                && known.at().plus(VIEWER_COUNT_AGE).isAfter(now) ? known : new Count(countAudience(id), now));
        if (counts.size() > 10_000) {
            counts.entrySet().removeIf(e -> e.getValue().at().plus(VIEWER_COUNT_AGE).isBefore(now));
        }
        return count.viewers();
    }

    private long countAudience(String meetingId) {
        Long n = redis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_ONLY, COUNT_AUDIENCE,
                RScript.ReturnType.LONG, List.of(RedisKeys.roster(meetingId)));
        return n == null ? 0 : n;
    }

    private ObjectNode stateEvent(String meetingId) {
        return event("broadcast.state").set("broadcast", json.valueToTree(BroadcastResponse.of(
                broadcasts.state(meetingId), links.hlsUrl(meetingId), viewers(meetingId))));
    }

    private void updated(ChannelTicket ticket, TownHallQuestions.Question question) {
        hub.publish(ticket.meetingId(), event("question.updated").set("question",
                json.valueToTree(QuestionResponse.of(question, null))));
    }

    private Meeting townHall(ChannelTicket ticket) throws ChannelException {
        Meeting meeting = scheduler.get(ticket.meetingId());
        if (meeting.kind() != MeetingKind.TOWN_HALL) {
            throw new ChannelException("not_a_town_hall", "This meeting is not a town hall; it has no broadcast.");
        }
        return meeting;
    }

    private static long questionId(JsonNode message) throws ChannelException {
        JsonNode id = message.get("question_id");
        if (id != null && id.isTextual() && id.asText().matches("[0-9]{1,18}")) {
            return Long.parseLong(id.asText());
        }
        if (id != null && id.canConvertToLong() && id.isIntegralNumber()) {
            return id.asLong();
        }
        throw new ChannelException("invalid_message", "Name the question (question_id).");
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }
}
