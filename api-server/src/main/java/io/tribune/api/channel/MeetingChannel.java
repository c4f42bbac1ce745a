package io.tribune.api.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.api.core.ChatMessage;
import io.tribune.api.core.JoinRevocations;
import io.tribune.api.core.LiveCaptions;
import io.tribune.api.core.MeetingAdmissions;
import io.tribune.api.api.SharedFileResponse;
import io.tribune.api.core.MeetingChat;
import io.tribune.api.core.MeetingFiles;
import io.tribune.api.core.MeetingPresence;
import io.tribune.api.core.RecordingAutoStop;
import io.tribune.api.core.MeetingRecordings;
import io.tribune.api.errors.ApiException;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.events.EventData;
import io.tribune.events.MeetingEvents;
import io.tribune.events.ParticipantEvents;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the meeting channel does, apart from the socket: joining and leaving (the roster), chat, raised hands,
 * reactions, media state, and host controls (mute one or all, remove, end) that also reach the SFU. Every event
 * goes through the {@link ChannelHub}, so members on other instances see it too; joins, departures, removals and
 * the end are recorded as events through the outbox.
 *
 * <p>Client messages (JSON, {@code type} first):
 * <pre>
 *   chat.send {text, client_id?, to?}      chat.history {after}       hand.raise / hand.lower
 *   reaction {emoji}                        media.state {audio_muted, video_muted, sharing}
 *   connection.quality {level}
 *   host.mute {participant_id, kind}        host.mute_all              host.remove {participant_id}
 *   host.end                                ping
 *   recording.acknowledge {recording_id}   (the person was told the meeting is recorded)
 *   captions.set {enabled}                 (moderators: live captions on or off)
 * </pre>
 * Server events: {@code welcome}, {@code participant.joined|updated|left|removed}, {@code chat.message},
 * {@code chat.history}, {@code reaction}, {@code control.mute}, {@code meeting.ended}, {@code pong}, {@code error},
 * {@code recording.started} {recording_id, by, started_at}, {@code recording.stopped} {recording_id, by},
 * {@code recording.acknowledged} {recording_id}. The welcome's {@code recording} is the running recording
 * ({recording_id}) or null. Live captions: {@code captions.state} {enabled, by}, and {@code caption}
 * {participant_id, name, phrase_id, text, final, start, end} (relayed from Kafka by the api-server's
 * LiveCaptionsConsumer); the welcome's {@code captions} is {enabled}.
 *
 * <p>Thread-safe.
 */
final class MeetingChannel {

    /** Messages a newcomer gets with its welcome. */
    static final int WELCOME_HISTORY = 100;
    static final Set<String> REACTIONS = Set.of("👍", "👏", "❤️", "😂", "😮", "🎉", "🙏", "👋");

    private static final Logger LOG = LoggerFactory.getLogger(MeetingChannel.class);

    private final ChannelHub hub;
    private final Roster roster;
    private final MeetingChat chat;
    private final SfuControl sfu;
    private final JoinRevocations revocations;
    private final MeetingPresence presence;
    private final MeetingAdmissions admissions;
    /** Null when file sharing is not configured. */
    private final MeetingFiles files;
    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final Clock clock;
    /** Null until town halls are enabled. */
    private volatile TownHallChannel townHall;
    /** Null until recording is enabled. */
    private volatile MeetingRecordings recordings;
    /** Null unless recordings stop once everyone has left. */
    private volatile RecordingAutoStop autoStop;
    /** Null until live captions are enabled. */
    private volatile LiveCaptions captions;

    MeetingChannel(ChannelHub hub, Roster roster, MeetingChat chat, SfuControl sfu, JoinRevocations revocations,
                   MeetingPresence presence, MeetingAdmissions admissions, MeetingFiles files, Jdbi jdbi,
                   OutboxWriter outbox, ObjectMapper json, Clock clock) {
        this.hub = hub;
        this.admissions = admissions;
        this.roster = roster;
        this.chat = chat;
        this.sfu = sfu;
        this.revocations = revocations;
        this.presence = presence;
        this.files = files;
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /** Puts the participant on the roster, tells everyone, and returns the welcome for the newcomer. */
    ObjectNode join(ChannelTicket ticket, String connectionId, long afterMessageId, ChannelHub.Member member) {
        RosterEntry entry = new RosterEntry(ticket.participantId(), ticket.name(), ticket.role(), connectionId,
                false, false, false, false, clock.instant());
        hub.add(member);
        roster.put(ticket.meetingId(), entry);
        RecordingAutoStop stopper = autoStop;
        if (stopper != null) {
            stopper.participantJoined(ticket.meetingId());
        }
        hub.publish(ticket.meetingId(), event("participant.joined").set("participant", json.valueToTree(entry)));
        record(new ParticipantEvents.Joined(ticket.meetingId(), ticket.participantId(), ticket.userId(),
                ticket.name(), ticket.role(), clock.instant()));
        List<ChatMessage> messages = afterMessageId > 0
                ? chat.history(ticket.meetingId(), ticket.participantId(), afterMessageId, MeetingChat.MAX_HISTORY)
                : chat.recent(ticket.meetingId(), ticket.participantId(), WELCOME_HISTORY);
        ObjectNode welcome = event("welcome");
        welcome.put("meeting_id", ticket.meetingId());
        welcome.set("participant", json.valueToTree(entry));
        welcome.putArray("permissions").addAll(ticket.permissions().stream().map(json.getNodeFactory()::textNode)
                .toList());
        welcome.set("roster", json.valueToTree(roster.list(ticket.meetingId())));
        welcome.set("messages", messages(messages));
        welcome.set("files", sharedFiles(ticket.meetingId()));
        welcome.set("recording", recordingState(ticket));
        welcome.set("captions", captionsState(ticket));
        return welcome;
    }

    /** Takes the participant off the roster (unless a newer connection replaced this one) and tells everyone. */
    void leave(ChannelTicket ticket, String connectionId, ChannelHub.Member member) {
        hub.remove(member);
        try {
            if (roster.removeIfConnection(ticket.meetingId(), ticket.participantId(), connectionId)) {
                presence.remove(ticket.meetingId(), ticket.participantId());
                hub.publish(ticket.meetingId(), event("participant.left")
                        .put("participant_id", ticket.participantId()));
                record(new ParticipantEvents.Left(ticket.meetingId(), ticket.participantId(), "left",
                        clock.instant()));
                RecordingAutoStop stopper = autoStop;
                if (stopper != null) {
                    stopper.participantLeft(ticket.meetingId());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record that {} left meeting {}: {}", ticket.participantId(), ticket.meetingId(),
                    e.toString());
        }
    }

    /** Handles one client message; returns the reply for that client alone, or null. */
    ObjectNode handle(ChannelTicket ticket, String type, JsonNode message) throws ChannelException {
        return switch (type) {
            case "chat.send" -> sendChat(ticket, message);
            case "chat.history" -> event("chat.history").set("messages", messages(chat.history(ticket.meetingId(),
                    ticket.participantId(), message.path("after").asLong(0), MeetingChat.MAX_HISTORY)));
            case "hand.raise", "hand.lower" -> {
                updated(ticket.meetingId(), ticket.participantId(), e -> e.withHand(type.equals("hand.raise")));
                yield null;
            }
            case "reaction" -> react(ticket, message);
            case "media.state" -> {
                updated(ticket.meetingId(), ticket.participantId(), e -> e.withMedia(
                        flag(message, "audio_muted", e.audioMuted()), flag(message, "video_muted", e.videoMuted()),
                        flag(message, "sharing", e.sharing())));
                yield null;
            }
            case "connection.quality" -> {
                reportQuality(ticket, message);
                yield null;
            }
            case "host.mute" -> {
                requireModerator(ticket);
                mute(ticket, target(ticket, message), kind(message));
                yield null;
            }
            case "host.mute_all" -> {
                requireModerator(ticket);
                for (RosterEntry entry : roster.list(ticket.meetingId())) {
                    if (!entry.participantId().equals(ticket.participantId()) && !moderates(entry.role())) {
                        mute(ticket, entry, "audio");
                    }
                }
                yield null;
            }
            case "host.remove" -> {
                requireModerator(ticket);
                remove(ticket, target(ticket, message));
                yield null;
            }
            case "host.end" -> {
                requireModerator(ticket);
                end(ticket);
                yield null;
            }
            case "file.offer" -> offerFile(ticket, message);
            case "file.list" -> event("file.list").set("files", sharedFiles(ticket.meetingId()));
            case "recording.acknowledge" -> acknowledgeRecording(ticket, message);
            case "captions.set" -> {
                requireModerator(ticket);
                setCaptions(ticket, message);
                yield null;
            }
            case "ping" -> event("pong");
            default -> {
                TownHallChannel townHalls = townHall;
                if (townHalls != null && TownHallChannel.TYPES.contains(type)) {
                    yield townHalls.handle(ticket, type, message);
                }
                throw new ChannelException("unknown_type", "Unknown message type '" + type + "'.");
            }
        };
    }

    /** Adds recording (auto start, state in the welcome, acknowledgements, stop at the end); once in {@code run()}. */
    void recordings(MeetingRecordings recordings) {
        this.recordings = recordings;
    }

    /** Adds the automatic stop of a recording once everyone has left; once in {@code run()}. */
    void recordingAutoStop(RecordingAutoStop autoStop) {
        this.autoStop = autoStop;
    }

    /**
     * The running recording for a newcomer's welcome ({recording_id}, or null). A host or co-host
     * arriving in a meeting with {@code auto_record} starts one first.
     */
    private JsonNode recordingState(ChannelTicket ticket) {
        MeetingRecordings current = recordings;
        if (current == null) {
            return json.nullNode();
        }
        try {
            if (moderates(ticket.role())) {
                current.startAutomatically(ticket.meetingId(), ticket.participantId());
            }
            return current.runningId(ticket.meetingId())
                    .<JsonNode>map(id -> json.createObjectNode().put("recording_id", id))
                    .orElse(json.nullNode());
        } catch (RuntimeException e) {
            LOG.warn("Could not read or start the recording of meeting {}: {}", ticket.meetingId(), e.toString());
            return json.nullNode();
        }
    }

    private ObjectNode acknowledgeRecording(ChannelTicket ticket, JsonNode message) throws ChannelException {
        MeetingRecordings current = recordings;
        String recordingId = optionalText(message, "recording_id");
        if (recordingId == null) {
            throw new ChannelException("invalid_message", "recording.acknowledge needs the recording_id.");
        }
        if (current == null || !current.acknowledge(ticket.meetingId(), recordingId, ticket.participantId(),
                ticket.userId(), ticket.name())) {
            throw new ChannelException("recording_not_found", "This meeting has no recording " + recordingId + ".");
        }
        return event("recording.acknowledged").put("recording_id", recordingId);
    }

    /**
     * Adds live captions ({@code captions.set}, {@code auto_captions} when a host or co-host arrives, the state in
     * the welcome, off at the end); once in {@code run()}.
     */
    void captions(LiveCaptions captions) {
        this.captions = captions;
    }

    /** The welcome's {enabled}; a host or co-host arriving in a meeting with {@code auto_captions} starts them. */
    private JsonNode captionsState(ChannelTicket ticket) {
        LiveCaptions live = captions;
        if (live == null) {
            return json.createObjectNode().put("enabled", false);
        }
        try {
            if (moderates(ticket.role())) {
                live.startAutomatically(ticket.meetingId(), ticket.participantId());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not start the captions of meeting {}: {}", ticket.meetingId(), e.toString());
        }
        return json.createObjectNode().put("enabled", live.enabled(ticket.meetingId()));
    }

    private void setCaptions(ChannelTicket ticket, JsonNode message) throws ChannelException {
        JsonNode enabled = message.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new ChannelException("invalid_message", "captions.set needs enabled: true or false.");
        }
        LiveCaptions live = captions;
        if (live == null) {
            throw new ChannelException("captions_disabled", "Live captions are not available on this server.");
        }
        try {
            live.set(ticket.meetingId(), enabled.booleanValue(), ticket.participantId());
        } catch (ApiException e) {
            throw new ChannelException(e.code(), e.getMessage());
        }
    }

    /** Adds the town-hall messages (broadcast state and playback, Q&A); set once in {@code run()}. */
    void townHall(TownHallChannel townHall) {
        this.townHall = townHall;
    }

    private ObjectNode sendChat(ChannelTicket ticket, JsonNode message) throws ChannelException {
        if (!ticket.may("chat")) {
            throw new ChannelException("forbidden", "You may not chat in this meeting.");
        }
        JsonNode text = message.get("text");
        if (text == null || !text.isTextual()) {
            throw new ChannelException("invalid_message", "chat.send needs a text.");
        }
        String to = optionalText(message, "to");
        if (to != null && (to.equals(ticket.participantId()) || roster.get(ticket.meetingId(), to).isEmpty())) {
            throw new ChannelException("recipient_not_found", "Nobody in this meeting has the id " + to + ".");
        }
        MeetingChat.Sent sent;
        try {
            sent = chat.send(new MeetingChat.Draft(ticket.meetingId(), ticket.participantId(), ticket.name(), to,
                    optionalText(message, "client_id"), text.asText()));
        } catch (ApiException e) {
            throw new ChannelException(e.code(), e.getMessage());
        }
        ObjectNode event = chatEvent(sent.message());
        if (!sent.created()) {
            return event; // a resend: the sender gets its message again, nobody else sees it twice
        }
        if (to != null) {
            event.putArray("only").add(ticket.participantId()).add(to);
        }
        hub.publish(ticket.meetingId(), event);
        return null;
    }

    /**
     * A participant wants to share a file: checked against the size limit and type allowlist at once, then
     * answered with a signed upload link ({@code file.upload}); the upload itself announces the file.
     */
    private ObjectNode offerFile(ChannelTicket ticket, JsonNode message) throws ChannelException {
        if (!ticket.may("chat")) {
            throw new ChannelException("forbidden", "You may not share files in this meeting.");
        }
        if (files == null) {
            throw new ChannelException("files_disabled", "File sharing is not configured on this server.");
        }
        JsonNode size = message.get("size");
        if (size == null || !size.canConvertToLong()) {
            throw new ChannelException("invalid_message", "file.offer needs the file's size in bytes.");
        }
        MeetingFiles.Offer offer;
        try {
            offer = files.offer(ticket.meetingId(), ticket.participantId(), ticket.name(),
                    optionalText(message, "name"), size.asLong(), optionalText(message, "content_type"));
        } catch (ApiException e) {
            throw new ChannelException(e.code(), e.getMessage());
        }
        ObjectNode reply = event("file.upload").put("file_id", offer.file().fileId())
                .put("upload_url", offer.uploadPath()).put("expires", offer.expires().toString())
                .put("content_type", offer.file().contentType());
        String clientId = optionalText(message, "client_id");
        if (clientId != null) {
            reply.put("client_id", clientId);
        }
        return reply;
    }

    /** Publishes a file shared through its upload link to the meeting's live members. */
    void announceFile(String meetingId, SharedFileResponse file) {
        hub.publish(meetingId, event("file.shared").set("file", json.valueToTree(file)));
    }

    private ArrayNode sharedFiles(String meetingId) {
        ArrayNode array = json.createArrayNode();
        if (files != null) {
            files.list(meetingId).forEach(file -> array.add(json.valueToTree(SharedFileResponse.of(file,
                    files.downloadPath(file)))));
        }
        return array;
    }

    /** Publishes a chat message stored by the REST API to the meeting's live members. */
    void announceChat(ChatMessage message) {
        ObjectNode event = chatEvent(message);
        if (message.recipientId() != null) {
            event.putArray("only").add(message.senderId()).add(message.recipientId());
        }
        hub.publish(message.meetingId(), event);
    }

    private ObjectNode react(ChannelTicket ticket, JsonNode message) throws ChannelException {
        String emoji = optionalText(message, "emoji");
        if (emoji == null || !REACTIONS.contains(emoji)) {
            throw new ChannelException("invalid_message", "Reactions are one of " + String.join(" ", REACTIONS)
                    + ".");
        }
        hub.publish(ticket.meetingId(), event("reaction").put("participant_id", ticket.participantId())
                .put("emoji", emoji));
        return null;
    }

    /**
     * A client's own connection quality for everyone's participants panel. Clients send it when their level
     * changes; an unchanged level is not published again, so a chatty client costs the others nothing.
     */
    private void reportQuality(ChannelTicket ticket, JsonNode message) throws ChannelException {
        String level = optionalText(message, "level");
        if (level == null || !RosterEntry.QUALITIES.contains(level)) {
            throw new ChannelException("invalid_message", "level is good, fair or poor.");
        }
        boolean changed = roster.get(ticket.meetingId(), ticket.participantId())
                .map(entry -> !level.equals(entry.connectionQuality())).orElse(false);
        if (changed) {
            updated(ticket.meetingId(), ticket.participantId(), e -> e.withQuality(level));
        }
    }

    private void mute(ChannelTicket by, RosterEntry target, String kind) {
        sfu.send(by.meetingId(), "mute", target.participantId(), kind, by.participantId());
        ObjectNode request = event("control.mute").put("kind", kind).put("by", by.participantId());
        request.putArray("only").add(target.participantId());
        hub.publish(by.meetingId(), request);
        updated(by.meetingId(), target.participantId(), e -> e.withMedia(
                kind.equals("audio") || e.audioMuted(), kind.equals("video") || e.videoMuted(), e.sharing()));
    }

    private void remove(ChannelTicket by, RosterEntry target) throws ChannelException {
        if (target.participantId().equals(by.participantId()) || "host".equals(target.role())) {
            throw new ChannelException("forbidden", "The host cannot be removed, nor can you remove yourself.");
        }
        revocations.revoke(by.meetingId(), target.participantId());
        presence.remove(by.meetingId(), target.participantId());
        sfu.send(by.meetingId(), "remove", target.participantId(), null, by.participantId());
        roster.remove(by.meetingId(), target.participantId());
        hub.publish(by.meetingId(), event("participant.removed").put("participant_id", target.participantId())
                .put("by", by.participantId()));
        record(new ParticipantEvents.Left(by.meetingId(), target.participantId(), "removed", clock.instant()));
    }

    private void end(ChannelTicket by) {
        // Before anyone hears of the end: whoever rejoins at once must meet the lobby again.
        admissions.forgetAll(by.meetingId());
        MeetingRecordings current = recordings;
        if (current != null) {
            try {
                current.stopIfRecording(by.meetingId(), by.participantId());
            } catch (RuntimeException e) {
                LOG.warn("Could not stop the recording of meeting {} at its end: {}", by.meetingId(), e.toString());
            }
        }
        LiveCaptions live = captions;
        if (live != null) {
            live.clear(by.meetingId());
        }
        sfu.send(by.meetingId(), "end", null, null, by.participantId());
        hub.publish(by.meetingId(), event("meeting.ended").put("by", by.participantId()));
        roster.clear(by.meetingId());
        record(new MeetingEvents.Ended(by.meetingId(), by.meetingId(), clock.instant(), by.participantId()));
    }

    private void updated(String meetingId, String participantId,
                         java.util.function.UnaryOperator<RosterEntry> change) {
        roster.update(meetingId, participantId, change).ifPresent(entry -> hub.publish(meetingId,
                event("participant.updated").set("participant", json.valueToTree(entry))));
    }

    private RosterEntry target(ChannelTicket ticket, JsonNode message) throws ChannelException {
        String id = optionalText(message, "participant_id");
        if (id == null) {
            throw new ChannelException("invalid_message", "Name the participant (participant_id).");
        }
        return roster.get(ticket.meetingId(), id).orElseThrow(() -> new ChannelException("participant_not_found",
                "Nobody in this meeting has the id " + id + "."));
    }

    private static String kind(JsonNode message) throws ChannelException {
        String kind = optionalText(message, "kind");
        if (!"audio".equals(kind) && !"video".equals(kind)) {
            throw new ChannelException("invalid_message", "kind is audio or video.");
        }
        return kind;
    }

    private static void requireModerator(ChannelTicket ticket) throws ChannelException {
        if (!ticket.may("moderate")) {
            throw new ChannelException("forbidden", "Only the host and co-hosts can do that.");
        }
    }

    private static boolean moderates(String role) {
        return "host".equals(role) || "co_host".equals(role);
    }

    private static boolean flag(JsonNode message, String field, boolean current) {
        JsonNode value = message.get(field);
        return value != null && value.isBoolean() ? value.booleanValue() : current;
    }

    private static String optionalText(JsonNode message, String field) throws ChannelException {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ChannelException("invalid_message", field + " must be a string.");
        }
        return value.asText();
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private ObjectNode chatEvent(ChatMessage message) {
        ObjectNode event = event("chat.message");
        event.set("message", json.valueToTree(ChatMessageView.of(message)));
        return event;
    }

    private ArrayNode messages(List<ChatMessage> messages) {
        ArrayNode array = json.createArrayNode();
        messages.forEach(message -> array.add(json.valueToTree(ChatMessageView.of(message))));
        return array;
    }

    private void record(EventData data) {
        try {
            jdbi.useTransaction(handle -> outbox.append(handle, data));
        } catch (RuntimeException e) {
            LOG.warn("Could not record {} for meeting channel: {}", data.getClass().getSimpleName(), e.toString());
        }
    }

    /** A new connection's id. */
    static String newConnectionId() {
        return UUID.randomUUID().toString();
    }
}
