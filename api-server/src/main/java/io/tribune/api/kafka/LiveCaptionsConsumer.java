package io.tribune.api.kafka;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.redis.RedissonManager;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.common.kafka.ProcessedEvents;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.MediaTaps;
import io.tribune.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live captions to the meeting channel: reads {@code tribune.captions} as its own consumer group (common's consumer
 * kit) and publishes each {@link CaptionEvents.Caption} on the meeting channel's Redis topic, so every api-server
 * instance hands it to its own connections of that meeting, and only theirs:
 * <pre>
 *   tribune.captions --poll--> relay: fresh? captions on? --PUBLISH--> tribune:meeting:{id}:channel
 *       --> each instance's ChannelHub --> {"type":"caption","participant_id","name","phrase_id","text","final",
 *                                           "start","end"}
 * </pre>
 * A caption is live or useless: one whose {@code end} is older than {@code maxAge} (a consumer that fell behind, a
 * new group reading from the start) is dropped and counted, never queued; so is one that arrives after the host
 * switched captions off. Nothing is deduplicated (a redelivered caption replaces itself on the client, by
 * {@code phrase_id}). A record that is not an event is dead-lettered by the kit; a caption
 * {@link CaptionEvents#liveProblem} rejects (no meeting, phrase, text or times, ending before it starts, too long)
 * is dead-lettered here; both are counted and consumption goes on. A Redis failure loses that caption (counted),
 * as retrying would only make it stale.
 *
 * <p>Metrics: {@code tribune.captions.live.relayed}, {@code .stale}, {@code .captions_off}, {@code .malformed},
 * {@code .relay_failures}, and the kit's under {@code tribune.consumer.<group>.} (lag, dead_lettered).
 *
 * <p>Thread-safe (the kit handles partitions on several threads at once).
 */
public final class LiveCaptionsConsumer implements Managed {

    /** The consumer group of the issue-9 contract. */
    public static final String GROUP = "api-server-captions-live";
    public static final String METRICS = "tribune.captions.live.";
    /** Longest caption text relayed, in characters (a phrase is a sentence or two; more is a broken producer). */

    private static final Logger LOG = LoggerFactory.getLogger(LiveCaptionsConsumer.class);

    private final ConsumerSettings settings;
    private final RedissonManager redis;
    private final ObjectMapper json;
    private final Duration maxAge;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final Counter relayed;
    private final Counter stale;
    private final Counter off;
    private final Counter malformed;
    private final Counter failures;
    private volatile EventConsumer consumer;
    private volatile boolean stopped;

    public LiveCaptionsConsumer(String bootstrapServers, String group, RedissonManager redis, ObjectMapper json,
                                Duration maxAge, Clock clock, MetricRegistry metrics) {
        // One attempt: a failing relay is counted and the caption dropped inside handle(), never retried.
        this.settings = ConsumerSettings.of(bootstrapServers, group, List.of(Topics.CAPTIONS))
                .withRetries(1, Duration.ofMillis(100), Duration.ofMillis(100));
        this.redis = redis;
        this.json = json;
        this.maxAge = maxAge;
        this.clock = clock;
        this.metrics = metrics;
        this.relayed = metrics.counter(METRICS + "relayed");
        this.stale = metrics.counter(METRICS + "stale");
        this.off = metrics.counter(METRICS + "captions_off");
        this.malformed = metrics.counter(METRICS + "malformed");
        this.failures = metrics.counter(METRICS + "relay_failures");
    }

    @Override
    public synchronized void start() {
        if (stopped || consumer != null) {
            return;
        }
        // No processed-events table: a caption is idempotent on the client (same phrase_id replaces).
        consumer = EventConsumer.create(settings, this::handle, ProcessedEvents.NONE, metrics);
        consumer.start();
        LOG.info("Relaying live captions from {} as {}", Topics.CAPTIONS, settings.group());
    }

    void handle(Event event) throws PoisonEventException {
        if (!(event.data() instanceof CaptionEvents.Caption caption)) {
            return; // transcript.ready: the transcripts' business
        }
        String problem = CaptionEvents.liveProblem(caption);
        if (problem != null) {
            malformed.inc();
            throw new PoisonEventException("caption " + event.id() + " " + problem);
        }
        Instant now = clock.instant();
        if (caption.end().isBefore(now.minus(maxAge))) {
            stale.inc();
            LOG.debug("Dropped caption {} of meeting {}: it ended {} ago", caption.phraseId(), caption.meetingId(),
                    Duration.between(caption.end(), now));
            return;
        }
        try {
            if (!redis.client().getBucket(MediaTaps.captionsKey(caption.meetingId()), StringCodec.INSTANCE)
                    .isExists()) {
                off.inc();
                return;
            }
            redis.client().getTopic(RedisKeys.channelTopic(caption.meetingId()), StringCodec.INSTANCE)
                    .publish(message(caption).toString());
            relayed.inc();
        } catch (RuntimeException e) {
            failures.inc();
            LOG.warn("Could not relay caption {} to meeting {}: {}", caption.phraseId(), caption.meetingId(),
                    e.toString());
        }
    }

    /** The channel's {@code caption} message. */
    ObjectNode message(CaptionEvents.Caption caption) {
        ObjectNode message = json.createObjectNode().put("type", "caption")
                .put("participant_id", caption.participantId())
                .put("name", caption.displayName())
                .put("phrase_id", caption.phraseId())
                .put("text", caption.text())
                .put("final", caption.isFinal())
                .put("start", caption.start().toString())
                .put("end", caption.end().toString());
        return message;
    }

    /** What makes a caption unusable, or null. */

    /** The running consumer, or null before start (for health and tests). */
    public EventConsumer consumer() {
        return consumer;
    }

    @Override
    public void stop() {
        EventConsumer running;
        synchronized (this) {
            stopped = true;
            running = consumer;
        }
        if (running != null) {
            running.stop();
        }
    }
}
