package io.tribune.transcoder.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.tribune.events.LiveBroadcasts;
import io.tribune.transcoder.TownHallTranscoder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the live broadcasts the api-server announces over Redis ({@link LiveBroadcasts}) and runs a stage town
 * hall ({@link TownHallTranscoder} with a {@link StageSource}) for each live one whose lease it holds, as long as it
 * is live and the lease stays its own. Several transcoders share one Redis: each live town hall is run by exactly one
 * of them ({@link BroadcastLeases}), and a town hall whose transcoder died is taken over by another.
 *
 * <pre>
 *   api-server --SADD tribune:broadcasts:live, PUBLISH tribune:broadcasts--> here: claim (lease) / stop a town hall
 *   here --SET tribune:broadcasts:owner:{id} instanceId NX PX leaseTtl--> run it; renewed every refresh
 *   here --PUBLISH egress-control {start, host, port} (again every refresh)--> the room's SFU node
 *   SFU node --SET egress, PUBLISH egress-description--> here --> StageSource.follow --> RtpStageInput
 *   stop: PUBLISH egress-control {stop}, END to the packager (EXT-X-ENDLIST, replay), tear down, release the lease
 * </pre>
 *
 * The set is the truth: it is read on start and every {@code refresh} (the channel only makes starts and stops
 * immediate), so a lost message or a Redis outage heals. Each refresh also renews this instance's leases (a lease
 * another instance holds now means this one lost it: the town hall stops here without END, the broadcast stays
 * live) and reads who holds the others. A live town hall without a lease holder (new, or its transcoder died and the
 * lease lapsed) is claimed after {@link BroadcastLeases#claimDelay}, which grows with this instance's load, one at a
 * time, so the least loaded instance takes it; the claim itself is atomic. Each town hall gets a block of 64 UDP
 * ports, the lowest free one; at most {@code maxTownHalls} run here. On shutdown the town halls stop without END,
 * their leases are released and their starts published again, so another instance takes them at once. Messages
 * that do not parse are logged, counted and dropped.
 *
 * <p>Threading: one thread ("stage-town-halls") claims, starts and stops town halls; Redisson's threads only parse
 * and hand over. Thread-safe.
 */
public final class StageTownHalls implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(StageTownHalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Makes the transcoder of one stage town hall (the ladder, encoder and packager come from configuration). */
    public interface Transcoders {
        TownHallTranscoder create(String meetingId, StageSource source);
    }

    /**
     * @param instanceId this transcoder's name in the leases; unique among the transcoders on the Redis
     * @param leaseTtl   how long a lease lives without renewal: a dead transcoder's town halls are taken over
     *                   within about {@code leaseTtl + refresh}; at least twice {@code refresh}
     */
    public record Settings(String redisUri, String instanceId, String rtpHost, int rtpPortBase, int maxTownHalls,
                           Duration refresh, Duration leaseTtl) {

        public Settings {
            if (instanceId == null || instanceId.isBlank()) {
                throw new IllegalArgumentException("instanceId must not be blank");
            }
            if (maxTownHalls < 1) {
                throw new IllegalArgumentException("maxTownHalls must be at least 1, not " + maxTownHalls);
            }
            if (leaseTtl.compareTo(refresh.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("leaseTtl (" + leaseTtl + ") must be at least twice refresh ("
                        + refresh + "): a lease must outlive a late renewal");
            }
        }

        /** The host name and a random suffix: unique, and different for a restarted process on the same host. */
        public static String defaultInstanceId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "transcoder";
            }
            return host + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        }
    }

    /** One running town hall, as the health check shows it. */
    public record Status(String meetingId, int rtpPort, String source, boolean packagerConnected,
                         long inputBuilds) {
    }

    /** Why a town hall stops here. */
    private enum Stop {
        /** The broadcast ended: the SFU's egress stops, END to the packager, the lease is released. */
        ENDED,
        /** This transcoder shuts down: the egress stops, no END, the lease is released for another transcoder. */
        SHUTDOWN,
        /** Another transcoder holds the lease now: only the local pipelines stop; its egress and event go on. */
        LEASE_LOST,
        /** A process death, for tests: the pipelines stop, Redis is not told anything. */
        ABANDONED
    }

    private final Settings settings;
    private final Transcoders transcoders;
    // All owned by the control thread:
    private final Map<String, LiveTownHall> running = new LinkedHashMap<>();
    private final Set<String> refused = new HashSet<>();
    private Set<String> live = new LinkedHashSet<>();
    /** Live town halls not run here that had no lease holder at the last look (or were announced since). */
    private final Set<String> withoutOwner = new LinkedHashSet<>();
    /** The last other instance seen holding each live town hall's lease: a claim after it is a takeover. */
    private final Map<String, String> otherOwners = new HashMap<>();
    private boolean claimScheduled;

    private final AtomicLong badMessages = new AtomicLong();
    private final AtomicLong redisErrors = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();
    private final AtomicLong leaseLosses = new AtomicLong();
    private volatile List<Status> statuses = List.of();
    private volatile int liveCount;
    private volatile int withoutOwnerCount;
    private volatile long lastReadNanoTime;
    private volatile boolean stopping;
    private ScheduledThreadPoolExecutor control;
    private RedissonClient redis;
    private BroadcastLeases leases;
    private RTopic announcements;
    private volatile boolean subscribed;

    public StageTownHalls(Settings settings, Transcoders transcoders) {
        this.settings = settings;
        this.transcoders = transcoders;
    }

    @Override
    public void start() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(settings.redisUri())
                .setClientName("transcoder-stage-" + settings.instanceId())
                .setRetryAttempts(1).setConnectionMinimumIdleSize(1).setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(2);
        redis = Redisson.create(config);
        leases = new BroadcastLeases(redis, settings.instanceId(), settings.leaseTtl());
        announcements = redis.getTopic(LiveBroadcasts.CHANNEL, StringCodec.INSTANCE);
        control = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stage-town-halls");
            t.setDaemon(true);
            return t;
        });
        // A claim still waiting when the transcoder stops must not run after the town halls were handed back.
        control.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long every = settings.refresh().toMillis();
        control.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("stage town halls: instance {} following {} on {}; RTP from the SFU to {}:{}.. ({} town halls at"
                + " most, leases of {} ms)", settings.instanceId(), LiveBroadcasts.LIVE_SET, settings.redisUri(),
                settings.rtpHost(), settings.rtpPortBase(), settings.maxTownHalls(), settings.leaseTtl().toMillis());
    }

    @Override
    public void stop() throws InterruptedException {
        // The broadcasts stay live: only this process goes; another transcoder takes over at once.
        shutDown(Stop.SHUTDOWN);
    }

    /**
     * Stops the way a process death would (tests): the town halls' pipelines and packager connections close, but
     * the SFU's egress is not stopped and the leases are not released, so they lapse after {@code leaseTtl}.
     */
    void abandon() throws InterruptedException {
        shutDown(Stop.ABANDONED);
    }

    private void shutDown(Stop why) throws InterruptedException {
        if (control == null || stopping) {
            return;
        }
        stopping = true;
        var done = control.submit(() -> {
            for (String meetingId : new ArrayList<>(running.keySet())) {
                stopTownHall(meetingId, why);
            }
        });
        control.shutdown();
        try {
            done.get(10 + 5L * statuses.size(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("stage town halls: stopping took too long: {}", e.toString());
            control.shutdownNow();
        }
        redis.shutdown();
    }

    // ---- state, for health checks, metrics and tests

    public String instanceId() {
        return settings.instanceId();
    }

    public List<Status> statuses() {
        return statuses;
    }

    /** Whether the live set was read within the last three refreshes. */
    public boolean following() {
        long last = lastReadNanoTime;
        return last != 0 && System.nanoTime() - last < 3 * settings.refresh().toNanos();
    }

    /** Town halls live on the Redis at the last look (run here or elsewhere). */
    public int live() {
        return liveCount;
    }

    /** Town halls run here (their lease held by this instance). */
    public int owned() {
        return statuses.size();
    }

    /** Live town halls that no transcoder held a lease for at the last look (waiting for a claim). */
    public int withoutOwner() {
        return withoutOwnerCount;
    }

    public long badMessages() {
        return badMessages.get();
    }

    public long redisErrors() {
        return redisErrors.get();
    }

    /** Broadcasts without a transcoder left waiting because {@code maxTownHalls} ran here. */
    public long refusals() {
        return refusals.get();
    }

    /** Town halls claimed here after another instance had held their lease (it died or let go). */
    public long takeovers() {
        return takeovers.get();
    }

    /** Town halls stopped here because another instance held their lease at a renewal. */
    public long leaseLosses() {
        return leaseLosses.get();
    }

    /** The running town hall of a meeting, or null (tests). */
    public TownHallTranscoder transcoder(String meetingId) {
        LiveTownHall r = onControl(() -> running.get(meetingId));
        return r == null ? null : r.transcoder;
    }

    /** The stage source of a meeting's running town hall, or null (tests). */
    public StageSource source(String meetingId) {
        LiveTownHall r = onControl(() -> running.get(meetingId));
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
            String meetingId = announcement.meetingId();
            if (announcement.live()) {
                live.add(meetingId);
                if (!running.containsKey(meetingId)) {
                    withoutOwner.add(meetingId);
                    scheduleClaim();
                }
            } else {
                live.remove(meetingId);
                withoutOwner.remove(meetingId);
                stopTownHall(meetingId, Stop.ENDED);
            }
        });
    }

    private void bad(String where, String why) {
        badMessages.incrementAndGet();
        LOG.warn("stage town halls: dropped a bad message {}: {}", where, why);
    }

    // ---- control thread

    /**
     * Reads the live set, stops the town halls that ended, renews this instance's leases (stopping those another
     * holds), refreshes each one's egress, reads who holds the others and claims those without a holder.
     */
    private void refresh() {
        if (stopping) {
            return;
        }
        try {
            if (!subscribed) {
                announcements.addListener(String.class, (channel, message) -> announced(message));
                subscribed = true;
            }
            Set<String> read = redis.<String>getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE).readAll();
            lastReadNanoTime = System.nanoTime();
            live = new LinkedHashSet<>();
            for (String meetingId : read) {
                if (LiveBroadcasts.validMeetingId(meetingId)) {
                    live.add(meetingId);
                } else if (refused.add(meetingId)) {
                    bad("in " + LiveBroadcasts.LIVE_SET, "meeting id '" + meetingId + "'");
                }
            }
            refused.retainAll(read);
            for (String meetingId : new ArrayList<>(running.keySet())) {
                if (!live.contains(meetingId)) {
                    stopTownHall(meetingId, Stop.ENDED);
                }
            }
            for (String meetingId : new ArrayList<>(running.keySet())) {
                renew(running.get(meetingId));
            }
            for (LiveTownHall r : running.values()) {
                requestEgress(r);
                String json = redis.<String>getBucket(LiveBroadcasts.egress(r.meetingId), StringCodec.INSTANCE)
                        .get();
                r.polled(json);
            }
            lookForOwners();
        } catch (RuntimeException e) {
            redisErrors.incrementAndGet();
            LOG.warn("stage town halls: cannot read the live broadcasts from Redis: {}", e.toString());
        }
        publishStatuses();
    }

    private void renew(LiveTownHall r) {
        switch (leases.renew(r.meetingId)) {
            case RENEWED -> {
            }
            case RETAKEN -> LOG.warn("stage town hall {}: its lease had lapsed (Redis restarted, or a refresh came"
                    + " more than {} ms late); held again", r.meetingId, settings.leaseTtl().toMillis());
            case LOST -> {
                leaseLosses.incrementAndGet();
                LOG.warn("stage town hall {}: another transcoder holds its lease now; stopping here (the broadcast"
                        + " stays live)", r.meetingId);
                stopTownHall(r.meetingId, Stop.LEASE_LOST);
            }
        }
    }

    /** Who holds the live town halls not run here; claims the ones nobody holds, or counts them refused when full. */
    private void lookForOwners() {
        List<String> others = live.stream().filter(id -> !running.containsKey(id)).toList();
        Map<String, String> owners = leases.owners(others);
        withoutOwner.clear();
        owners.forEach((meetingId, owner) -> {
            if (owner == null) {
                withoutOwner.add(meetingId);
            } else {
                otherOwners.put(meetingId, owner);
            }
        });
        otherOwners.keySet().retainAll(live);
        liveCount = live.size();
        withoutOwnerCount = withoutOwner.size();
        if (withoutOwner.isEmpty()) {
            return;
        }
        if (freeSlot() >= 0) {
            scheduleClaim();
            return;
        }
        for (String meetingId : withoutOwner) {
            if (refused.add(meetingId)) {
                refusals.incrementAndGet();
                LOG.warn("stage town halls: full here ({} of maxTownHalls {}) and no other transcoder has {}; it"
                        + " waits", running.size(), settings.maxTownHalls(), meetingId);
            }
        }
    }

    /** Claims one town hall without a holder after the delay this instance's load gives (unless one is waiting). */
    private void scheduleClaim() {
        if (claimScheduled || stopping || withoutOwner.isEmpty()) {
            return;
        }
        Duration delay = BroadcastLeases.claimDelay(running.size(), settings.maxTownHalls(), settings.refresh(),
                ThreadLocalRandom.current().nextDouble());
        if (delay == null) {
            return;
        }
        claimScheduled = true;
        try {
            control.schedule(() -> guarded(this::claimOne), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            claimScheduled = false;
        }
    }

    private void claimOne() {
        claimScheduled = false;
        if (stopping || freeSlot() < 0) {
            return;
        }
        try {
            for (String meetingId : new ArrayList<>(withoutOwner)) {
                withoutOwner.remove(meetingId);
                if (running.containsKey(meetingId) || !live.contains(meetingId)) {
                    continue;
                }
                if (leases.claim(meetingId)) {
                    String former = otherOwners.remove(meetingId);
                    if (former != null && !former.equals(settings.instanceId())) {
                        takeovers.incrementAndGet();
                        LOG.info("stage town hall {}: taken over from {}, whose lease lapsed or was released",
                                meetingId, former);
                    }
                    startTownHall(meetingId);
                    // The next one waits for the load this one adds: another instance may be idler now.
                    scheduleClaim();
                    return;
                }
                // Another instance claimed it first; the next refresh reads who.
            }
        } catch (RuntimeException e) {
            redisErrors.incrementAndGet();
            LOG.warn("stage town halls: cannot claim a town hall in Redis: {}", e.toString());
        }
    }

    /** Starts a town hall whose lease this instance has just taken. */
    private void startTownHall(String meetingId) {
        int slot = freeSlot();
        if (slot < 0) {
            leases.release(meetingId); // not reached: claims only happen with a free slot
            return;
        }
        refused.remove(meetingId);
        StageSource source = new StageSource(meetingId);
        TownHallTranscoder transcoder;
        try {
            transcoder = transcoders.create(meetingId, source);
            transcoder.start();
        } catch (RuntimeException e) {
            LOG.warn("stage town hall {}: cannot start; its lease goes back: {}", meetingId, e.toString());
            leases.release(meetingId);
            return;
        }
        LiveTownHall r = new LiveTownHall(meetingId, slot, settings.rtpPortBase() + 64 * slot, source, transcoder,
                this::bad);
        running.put(meetingId, r);
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
        LOG.info("stage town hall {}: live here ({}); the SFU sends its stage to {}:{}", meetingId,
                settings.instanceId(), settings.rtpHost(), r.rtpPort);
        publishStatuses();
    }

    private void stopTownHall(String meetingId, Stop why) {
        LiveTownHall r = running.remove(meetingId);
        if (r == null) {
            return;
        }
        if (why != Stop.ABANDONED) {
            try {
                if (r.topic != null) {
                    r.topic.removeListener(r.listenerId);
                }
                // After a lost lease the SFU sends to the new holder: a stop from here would cut it off.
                if (why != Stop.LEASE_LOST) {
                    redis.getTopic(LiveBroadcasts.egressControl(meetingId), StringCodec.INSTANCE)
                            .publish("{\"action\":\"stop\"}");
                }
            } catch (RuntimeException e) {
                redisErrors.incrementAndGet();
                LOG.warn("stage town halls: {}: cannot stop the SFU's egress: {}", meetingId, e.toString());
            }
        }
        try {
            if (why == Stop.ENDED) {
                r.transcoder.endBroadcast();
            }
            r.transcoder.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("stage town halls: {}: stopping failed: {}", meetingId, e.toString());
        }
        if (why == Stop.ENDED || why == Stop.SHUTDOWN) {
            handBack(meetingId, why == Stop.SHUTDOWN);
        }
        LOG.info("stage town hall {}: {}", meetingId, switch (why) {
            case ENDED -> "broadcast ended";
            case SHUTDOWN -> "handed back (shutting down)";
            case LEASE_LOST -> "stopped here, lease lost";
            case ABANDONED -> "abandoned";
        });
        publishStatuses();
    }

    /** Releases the lease; a broadcast still live is announced again, so that another transcoder claims it now. */
    private void handBack(String meetingId, boolean stillLive) {
        try {
            leases.release(meetingId);
            if (stillLive && redis.<String>getSet(LiveBroadcasts.LIVE_SET, StringCodec.INSTANCE)
                    .contains(meetingId)) {
                announcements.publish(new LiveBroadcasts.Announcement(true, meetingId).toJson());
            }
        } catch (RuntimeException e) {
            redisErrors.incrementAndGet();
            LOG.warn("stage town halls: {}: cannot release its lease (it lapses by itself): {}", meetingId,
                    e.toString());
        }
    }

    private void requestEgress(LiveTownHall r) {
        if (r.topic == null) {
            RTopic topic = redis.getTopic(LiveBroadcasts.egressDescription(r.meetingId), StringCodec.INSTANCE);
            r.listenerId = topic.addListener(String.class, (channel, message) -> r.published(message));
            r.topic = topic;
        }
        String command = JSON.createObjectNode().put("action", "start").put("host", settings.rtpHost())
                .put("port", r.rtpPort).toString();
        redis.getTopic(LiveBroadcasts.egressControl(r.meetingId), StringCodec.INSTANCE).publish(command);
    }

    private int freeSlot() {
        Set<Integer> taken = new HashSet<>();
        running.values().forEach(r -> taken.add(r.slot));
        for (int slot = 0; slot < settings.maxTownHalls(); slot++) {
            if (!taken.contains(slot)) {
                return slot;
            }
        }
        return -1;
    }

    private void publishStatuses() {
        List<Status> now = new ArrayList<>();
        for (LiveTownHall r : running.values()) {
            now.add(new Status(r.meetingId, r.rtpPort, r.source.describe(), r.transcoder.connection() != null
                    && r.transcoder.connection().connected(), r.source.inputBuilds()));
        }
        statuses = List.copyOf(now);
    }

    private void execute(Runnable action) {
        try {
            control.execute(() -> guarded(action));
        } catch (RejectedExecutionException e) {
            LOG.debug("stage town halls: stopping, ignoring a message");
        }
    }

    private static void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("stage town halls: {}", e.toString(), e);
        }
    }

    private <T> T onControl(java.util.concurrent.Callable<T> read) {
        try {
            return control.submit(read).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}
