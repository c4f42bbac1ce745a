package io.tribune.transcoder.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.tribune.events.LiveBroadcasts;
import io.tribune.transcoder.TownHallTranscoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the live broadcasts the api-server announces over Redis ({@link LiveBroadcasts}) and runs one stage town
 * hall ({@link TownHallTranscoder} with a {@link StageSource}) for each, as long as it is live:
 *
 * <pre>
 *   api-server --SADD tribune:broadcasts:live, PUBLISH tribune:broadcasts--> here: start / stop a town hall
 *   here --PUBLISH egress-control {start, host, port} (again every refresh)--> the room's SFU node
 *   SFU node --SET egress, PUBLISH egress-description--> here --> StageSource.follow --> RtpStageInput
 *   stop: PUBLISH egress-control {stop}, END to the packager (EXT-X-ENDLIST, replay), tear down
 * </pre>
 *
 * The set is the truth: it is read on start and every {@code refresh} (the channel only makes starts and stops
 * immediate), so a lost message or a Redis outage heals. Each town hall gets a block of 64 UDP ports, the lowest
 * free one; at most {@code maxTownHalls} run, later ones wait for a free block. Messages that do not parse are
 * logged, counted and dropped.
 *
 * <p>Threading: one thread ("stage-town-halls") starts and stops town halls; Redisson's threads only parse and hand
 * over. Thread-safe.
 */
public final class StageTownHalls implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(StageTownHalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Makes the transcoder of one stage town hall (the ladder, encoder and packager come from configuration). */
    public interface Transcoders {
        TownHallTranscoder create(String meetingId, StageSource source);
    }

    /** One running town hall, as the health check shows it. */
    public record Status(String meetingId, int rtpPort, String source, boolean packagerConnected,
                         long inputBuilds) {
    }

    private final String redisUri;
    private final String rtpHost;
    private final int rtpPortBase;
    private final int maxTownHalls;
    private final Duration refresh;
    private final Transcoders transcoders;
    private final Map<String, Running> running = new LinkedHashMap<>(); // owned by the control thread
    private final Set<String> refused = new HashSet<>(); // owned by the control thread
    private final AtomicLong badMessages = new AtomicLong();
    private final AtomicLong redisErrors = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile List<Status> statuses = List.of();
    private volatile long lastReadNanoTime;
    private ScheduledExecutorService control;
    private RedissonClient redis;
    private RTopic announcements;
    private volatile boolean subscribed;

    public StageTownHalls(String redisUri, String rtpHost, int rtpPortBase, int maxTownHalls, Duration refresh,
                          Transcoders transcoders) {
        this.redisUri = redisUri;
        this.rtpHost = rtpHost;
        this.rtpPortBase = rtpPortBase;
        this.maxTownHalls = maxTownHalls;
        this.refresh = refresh;
        this.transcoders = transcoders;
    }

    @Override
    public void start() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(redisUri).setClientName("transcoder-stage").setRetryAttempts(1)
                .setConnectionMinimumIdleSize(1).setConnectionPoolSize(4).setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(2);
        redis = Redisson.create(config);
        announcements = redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE);
        control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stage-town-halls");
            t.setDaemon(true);
            return t;
        });
        control.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("stage town halls: following {} on {}; RTP from the SFU to {}:{}.. ({} town halls at most)",
                LiveBroadcasts.LIVE_SET, redisUri, rtpHost, rtpPortBase, maxTownHalls);
    }

    @Override
    public void stop() throws InterruptedException {
        if (control == null) {
            return;
        }
        // The broadcasts stay live: only this process goes; another transcoder (or this one restarted) takes over.
        var done = control.submit(() -> {
            for (String meetingId : new ArrayList<>(running.keySet())) {
                stopTownHall(meetingId, false);
            }
        });
        control.shutdown();
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stage town halls: stopping took too long: {}", e.toString());
            control.shutdownNow();
        }
        redis.shutdown();
    }

    // ---- state, for health checks, metrics and tests

    public List<Status> statuses() {
        return statuses;
    }

    /** Whether the live set was read within the last three refreshes. */
    public boolean following() {
        long last = lastReadNanoTime;
        return last != 0 && System.nanoTime() - last < 3 * refresh.toNanos();
    }

    public long badMessages() {
        return badMessages.get();
    }

    public long redisErrors() {
        return redisErrors.get();
    }

    /** Broadcasts left waiting because {@code maxTownHalls} were running. */
    public long refusals() {
        return refusals.get();
    }

    /** The running town hall of a meeting, or null (tests). */
    public TownHallTranscoder transcoder(String meetingId) {
        Running r = onControl(() -> running.get(meetingId));
        return r == null ? null : r.transcoder;
    }

    /** The stage source of a meeting's running town hall, or null (tests). */
    public StageSource source(String meetingId) {
        Running r = onControl(() -> running.get(meetingId));
        return r == null ? null : r.source;
    }

    // ---- Redisson threads: parse, count, hand over

    private void announced(String message) {
        LiveBroadcasts.Announcement announcement;
        try {
            announcement = LiveBroadcasts.Announcement.parse(message);
        } catch (IllegalArgumentException e) {
            bad("on " + LiveBroadcasts.CHANNEL, e.getMessage());
            return;
        }
        execute(() -> {
            if (announcement.live()) {
                startTownHall(announcement.meetingId());
            } else {
                stopTownHall(announcement.meetingId(), true);
            }
        });
    }

    private void bad(String where, String why) {
        badMessages.incrementAndGet();
        LOG.warn("stage town halls: dropped a bad message {}: {}", where, why);
    }

    // ---- control thread

    /** Reads the live set, starts and stops town halls to match, and refreshes each one's egress. */
    private void refresh() {
        try {
            if (!subscribed) {
                announcements.addListener(String.class, (channel, message) -> announced(message));
                subscribed = true;
            }
            Set<String> live = redis.<String>getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).readAll();
            lastReadNanoTime = System.nanoTime();
            for (String meetingId : live) {
                if (!running.containsKey(meetingId)) {
                    startTownHall(meetingId);
                }
            }
            for (String meetingId : new ArrayList<>(running.keySet())) {
                if (!live.contains(meetingId)) {
                    stopTownHall(meetingId, true);
                }
            }
            refused.retainAll(live);
            for (Running r : running.values()) {
                requestEgress(r);
                String json = redis.<String>getBucket(LiveBroadcasts.egress(r.meetingId), StringCodec.INSTANCE)
                        .get();
                r.polled(json);
            }
        } catch (RuntimeException e) {
            redisErrors.incrementAndGet();
            LOG.warn("stage town halls: cannot read the live broadcasts from Redis: {}", e.toString());
        }
        publishStatuses();
    }

    private void startTownHall(String meetingId) {
        if (running.containsKey(meetingId)) {
            return;
        }
        if (!LiveBroadcasts.validMeetingId(meetingId)) {
            if (refused.add(meetingId)) {
                bad("in " + LiveBroadcasts.LIVE_SET, "meeting id '" + meetingId + "'");
            }
            return;
        }
        int slot = freeSlot();
        if (slot < 0) {
            if (refused.add(meetingId)) {
                refusals.incrementAndGet();
                LOG.warn("stage town halls: {} broadcasts run already (maxTownHalls); {} waits", maxTownHalls,
                        meetingId);
            }
            return;
        }
        refused.remove(meetingId);
        StageSource source = new StageSource(meetingId);
        TownHallTranscoder transcoder = transcoders.create(meetingId, source);
        Running r = new Running(meetingId, slot, rtpPortBase + 64 * slot, source, transcoder);
        running.put(meetingId, r);
        transcoder.start();
        try {
            RTopic topic = redis.getTopic(LiveBroadcasts.egressDescription(meetingId), StringCodec.INSTANCE);
            r.topic = topic;
            r.listenerId = topic.addListener(String.class, (channel, message) -> r.published(message));
            requestEgress(r);
            r.polled(redis.<String>getBucket(LiveBroadcasts.egress(meetingId), StringCodec.INSTANCE).get());
        } catch (RuntimeException e) {
            // The next refresh asks again; the subscription is retried there through r.topic == null.
            redisErrors.incrementAndGet();
            LOG.warn("stage town halls: {}: cannot reach Redis yet: {}", meetingId, e.toString());
        }
        LOG.info("stage town hall {}: live; the SFU sends its stage to {}:{}", meetingId, rtpHost, r.rtpPort);
        publishStatuses();
    }

    private void stopTownHall(String meetingId, boolean broadcastEnded) {
        Running r = running.remove(meetingId);
        if (r == null) {
            return;
        }
        try {
            if (r.topic != null) {
                r.topic.removeListener(r.listenerId);
            }
            redis.getTopic(LiveBroadcasts.egressControl(meetingId), StringCodec.INSTANCE)
                    .publish("{\"action\":\"stop\"}");
        } catch (RuntimeException e) {
            redisErrors.incrementAndGet();
            LOG.warn("stage town halls: {}: cannot stop the SFU's egress: {}", meetingId, e.toString());
        }
        try {
            if (broadcastEnded) {
                r.transcoder.endBroadcast();
            }
            r.transcoder.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("stage town halls: {}: stopping failed: {}", meetingId, e.toString());
        }
        LOG.info("stage town hall {}: {}", meetingId, broadcastEnded ? "broadcast ended" : "stopped");
        publishStatuses();
    }

    private void requestEgress(Running r) {
        if (r.topic == null) {
            RTopic topic = redis.getTopic(LiveBroadcasts.egressDescription(r.meetingId), StringCodec.INSTANCE);
            r.listenerId = topic.addListener(String.class, (channel, message) -> r.published(message));
            r.topic = topic;
        }
        String command = JSON.createObjectNode().put("action", "start").put("host", rtpHost).put("port", r.rtpPort)
                .toString();
        redis.getTopic(LiveBroadcasts.egressControl(r.meetingId), StringCodec.INSTANCE).publish(command);
    }

    private int freeSlot() {
        Set<Integer> taken = new HashSet<>();
        running.values().forEach(r -> taken.add(r.slot));
        for (int slot = 0; slot < maxTownHalls; slot++) {
            if (!taken.contains(slot)) {
                return slot;
            }
        }
        return -1;
    }

    private void publishStatuses() {
        List<Status> now = new ArrayList<>();
        for (Running r : running.values()) {
            now.add(new Status(r.meetingId, r.rtpPort, r.source.describe(), r.transcoder.connection() != null
                    && r.transcoder.connection().connected(), r.source.inputBuilds()));
        }
        statuses = List.copyOf(now);
    }

    private void execute(Runnable action) {
        try {
            control.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("stage town halls: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("stage town halls: stopping, ignoring a message");
        }
    }

    private <T> T onControl(java.util.concurrent.Callable<T> read) {
        try {
            return control.submit(read).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** One live town hall: its port block, source and transcoder, and the descriptions seen. */
    private final class Running {
        final String meetingId;
        final int slot;
        final int rtpPort;
        final StageSource source;
        final TownHallTranscoder transcoder;
        volatile RTopic topic;
        volatile int listenerId;
        private String applied;
        private String lastPolled;
        private boolean first = true;

        Running(String meetingId, int slot, int rtpPort, StageSource source, TownHallTranscoder transcoder) {
            this.meetingId = meetingId;
            this.slot = slot;
            this.rtpPort = rtpPort;
            this.source = source;
            this.transcoder = transcoder;
        }

        /** A description published by the SFU (Redisson thread): applied at once. */
        synchronized void published(String json) {
            apply(json, "on " + LiveBroadcasts.egressDescription(meetingId));
        }

        /**
         * The key's value, read at a refresh (control thread). Applied the first time, and then only when the same
         * new value is read twice in a row: a read that raced a newer published version must not undo it.
         */
        synchronized void polled(String json) {
            boolean stable = Objects.equals(json, lastPolled);
            lastPolled = json;
            if (first || (stable && !Objects.equals(json, applied))) {
                first = false;
                apply(json, "in " + LiveBroadcasts.egress(meetingId));
            }
        }

        private void apply(String json, String where) {
            if (Objects.equals(json, applied)) {
                return;
            }
            StageDescription description = null;
            if (json != null) {
                try {
                    description = StageDescription.parse(json);
                } catch (IllegalArgumentException e) {
                    applied = json; // counted once, not at every refresh
                    bad(where, e.getMessage());
                    return;
                }
                if (description.streams().stream().anyMatch(s -> s.port() < rtpPort || s.port() >= rtpPort + 64)) {
                    applied = json;
                    bad(where, "streams outside this town hall's ports " + rtpPort + ".." + (rtpPort + 63));
                    return;
                }
            }
            applied = json;
            first = false;
            source.follow(description);
        }
    }
}
