package io.tribune.api.channel;

import com.codahale.metrics.Gauge;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.core.BroadcastPlayback;
import io.tribune.api.core.ChatMessage;
import io.tribune.api.core.JoinRevocations;
import io.tribune.api.core.LiveCaptions;
import io.tribune.api.core.MeetingAdmissions;
import io.tribune.api.core.MeetingChat;
import io.tribune.api.core.MeetingFiles;
import io.tribune.api.api.SharedFileResponse;
import io.tribune.api.core.MeetingLinks;
import io.tribune.api.core.MeetingPresence;
import io.tribune.api.core.RecordingAutoStop;
import io.tribune.api.core.MeetingRecordings;
import io.tribune.api.core.MeetingScheduler;
import io.tribune.api.core.TownHallBroadcasts;
import io.tribune.api.core.TownHallQuestions;
import io.tribune.api.outbox.OutboxWriter;
import io.tribune.api.redis.RedissonManager;
import io.tribune.common.token.TokenVerifier;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The meeting channel's WebSocket endpoint ({@value #PATH}) on the API's own port: chat, roster, presence,
 * reactions and host controls for everyone in a meeting, across api-server instances (Redis pub/sub). The join
 * token in the first message says which meeting. Install once in {@code run()}; it is {@link Managed} for its
 * timer thread. Thread-safe.
 */
public final class ChannelServer implements Managed {

    public static final String PATH = "/api/v1/channel";
    /** Largest client message, in characters (a 4,000-character chat message in JSON fits easily). */
    static final int MAX_MESSAGE_CHARS = 16 * 1024;
    /** A connection with no traffic for this long is closed (clients ping every 20-30 s). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);

    private final MeetingChannel channel;
    private final ChannelTickets tickets;
    private final ChannelHub hub;
    private final ChannelSettings settings = ChannelSettings.defaults();
    private final ObjectMapper json;
    private volatile TownHallChannel townHall;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "channel-timer");
        thread.setDaemon(true);
        return thread;
    });

    public ChannelServer(RedissonManager redis, TokenVerifier verifier, JoinRevocations revocations,
                         MeetingPresence presence, MeetingAdmissions admissions, MeetingChat chat,
                         MeetingFiles files, Jdbi jdbi, OutboxWriter outbox, ObjectMapper json, Clock clock) {
        this.json = json;
        this.hub = new ChannelHub(redis, json);
        this.tickets = new ChannelTickets(verifier, redis, revocations, clock);
        this.channel = new MeetingChannel(hub, new Roster(redis, json), chat, new SfuControl(redis, json, clock),
                revocations, presence, admissions, files, jdbi, outbox, json, clock);
    }

    /** Adds the endpoint to the application's servlet context and its metric. */
    public void install(Environment environment) {
        JettyWebSocketServletContainerInitializer.configure(environment.getApplicationContext(),
                (context, container) -> {
                    container.setMaxTextMessageSize(MAX_MESSAGE_CHARS);
                    container.setIdleTimeout(IDLE_TIMEOUT);
                    // A client that reads nothing cannot make the server queue events without bound.
                    container.setMaxOutgoingFrames(4096);
                    container.addMapping(PATH, (request, response) ->
                            new ChannelSocket(channel, tickets, settings, scheduler, json));
                });
        environment.metrics().gauge("tribune.channel.connections", () -> (Gauge<Integer>) hub::connections);
        environment.lifecycle().manage(this);
    }

    /**
     * Adds the town-hall messages (broadcast state, playback passes, Q&A) to the channel. Call once, before
     * serving; without it those messages are unknown types.
     */
    public void enableTownHalls(RedissonManager redis, MeetingScheduler scheduler, TownHallBroadcasts broadcasts,
                                TownHallQuestions questions, BroadcastPlayback playback, MeetingLinks links,
                                Clock clock) {
        townHall = new TownHallChannel(hub, redis, scheduler, broadcasts, questions, playback, links, json, clock);
        channel.townHall(townHall);
    }

    /**
     * Adds recording to the channel: {@code auto_record} when a host or co-host arrives, the running recording in
     * every welcome, {@code recording.acknowledge}, and the recording's stop when the meeting ends. Call once,
     * before serving.
     */
    public void enableRecordings(MeetingRecordings recordings) {
        channel.recordings(recordings);
    }

    /**
     * Tells {@code autoStop} of every join and departure, so that a recording stops once everyone has left. Call
     * once, before serving.
     */
    public void enableRecordingAutoStop(RecordingAutoStop autoStop) {
        channel.recordingAutoStop(autoStop);
    }

    /**
     * Adds live captions to the channel: {@code captions.set} for moderators, {@code auto_captions} when a host or
     * co-host arrives, the state in every welcome, and
     * captions off when the meeting ends. Call once, before serving.
     */
    public void enableCaptions(LiveCaptions captions) {
        channel.captions(captions);
    }

    /** Tells the meeting's live members the broadcast's state ({@code broadcast.state}) after a start or stop. */
    public void announceBroadcast(String meetingId) {
        townHall.announce(meetingId);
    }

    /** Audience members (attendees, guests) connected to the meeting's channel; 0 before town halls are enabled. */
    public long viewers(String meetingId) {
        TownHallChannel current = townHall;
        return current == null ? 0 : current.viewers(meetingId);
    }

    /** Delivers a chat message stored through the REST API to the meeting's live members. */
    public void announce(ChatMessage message) {
        channel.announceChat(message);
    }

    /** Tells the meeting's live members that a file was shared ({@code file.shared}). */
    public void announceFile(String meetingId, SharedFileResponse file) {
        channel.announceFile(meetingId, file);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }
}
