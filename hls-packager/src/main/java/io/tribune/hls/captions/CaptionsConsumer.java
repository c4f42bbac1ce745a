package io.tribune.hls.captions;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.common.kafka.ProcessedEvents;
import io.tribune.events.CaptionEvents;
import io.tribune.events.Event;
import io.tribune.events.Topics;
import io.tribune.hls.live.EventRegistry;
import io.tribune.hls.live.LiveEvent;
import io.tribune.hls.live.SubtitleCues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Town-hall captions into the HLS subtitles rendition: reads {@code tribune.captions} as its own consumer group
 * (common's consumer kit) and hands each FINAL {@link CaptionEvents.Caption} to the live event whose id is the
 * caption's meeting id (a town hall's stage is the SFU room of that meeting). The next subtitle segment written
 * carries it (see {@link SubtitleCues}).
 *
 * <p>What is skipped, counted, never fatal: partials (a final always follows); captions of events this packager
 * does not hold live (another packager's, ended, or a plain meeting); captions that ended more than
 * {@code maxAge} ago (a group reading from the start, a packager restarted) or before the playlist's window;
 * repeats of a phrase already held. A caption {@link CaptionEvents#liveProblem} rejects (no meeting, phrase, text
 * or times, ending before it starts, too long) is malformed: counted and dead-lettered. A record that is not an
 * event is dead-lettered by the kit. Nothing is retried: a caption is live or useless.
 *
 * <p>Metrics: {@code hls.captions.accepted}, {@code .partials}, {@code .unknown_event}, {@code .stale},
 * {@code .expired}, {@code .duplicates}, {@code .empty} (finals without text), {@code .malformed}, and the kit's
 * under {@code tribune.consumer.<group>.} (lag, dead_lettered).
 *
 * <p>Thread-safe (the kit handles partitions on several threads; {@link SubtitleCues} is thread-safe).
 */
public final class CaptionsConsumer implements Managed {

    /**
     * The default consumer group. A packager must see every caption (it keeps its own events'), so several packagers
     * need a group each.
     */
    public static final String GROUP = "hls-packager-captions";
    public static final String METRICS = "hls.captions.";
    /** Longest caption text taken, in characters (a phrase is a sentence or two; more is a broken producer). */

    private static final Logger LOG = LoggerFactory.getLogger(CaptionsConsumer.class);

    private final ConsumerSettings settings;
    private final EventRegistry registry;
    private final Duration maxAge;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final Counter accepted;
    private final Counter partials;
    private final Counter unknown;
    private final Counter stale;
    private final Counter expired;
    private final Counter duplicates;
    private final Counter malformed;
    private final Counter empty;
    private volatile EventConsumer consumer;
    private volatile boolean stopped;

    public CaptionsConsumer(String bootstrapServers, String group, EventRegistry registry, Duration maxAge,
                            Clock clock, MetricRegistry metrics) {
        // One attempt: handle() only fails on malformed captions, which go to the dead letters at once.
        this.settings = ConsumerSettings.of(bootstrapServers, group, List.of(Topics.CAPTIONS))
                .withRetries(1, Duration.ofMillis(100), Duration.ofMillis(100));
        this.registry = registry;
        this.maxAge = maxAge;
        this.clock = clock;
        this.metrics = metrics;
        this.accepted = metrics.counter(METRICS + "accepted");
        this.partials = metrics.counter(METRICS + "partials");
        this.unknown = metrics.counter(METRICS + "unknown_event");
        this.stale = metrics.counter(METRICS + "stale");
        this.expired = metrics.counter(METRICS + "expired");
        this.duplicates = metrics.counter(METRICS + "duplicates");
        this.malformed = metrics.counter(METRICS + "malformed");
        this.empty = metrics.counter(METRICS + "empty");
    }

    @Override
    public synchronized void start() {
        if (stopped || consumer != null) {
            return;
        }
        // No processed-events table: a caption is idempotent by its phrase id within an event.
        consumer = EventConsumer.create(settings, this::handle, ProcessedEvents.NONE, metrics);
        consumer.start();
        LOG.info("Taking town-hall captions from {} as {}", Topics.CAPTIONS, settings.group());
    }

    /** One event of {@code tribune.captions}. */
    public void handle(Event event) throws PoisonEventException {
        if (!(event.data() instanceof CaptionEvents.Caption caption)) {
            return; // transcript.ready: not for the live stream
        }
        String problem = CaptionEvents.liveProblem(caption);
        if (problem != null) {
            malformed.inc();
            throw new PoisonEventException("caption " + event.id() + " " + problem);
        }
        if (!caption.isFinal()) {
            partials.inc();
            return;
        }
        if (caption.text().isBlank()) {
            empty.inc();
            return;
        }
        LiveEvent live = registry.get(caption.meetingId());
        if (live == null || live.ended()) {
            unknown.inc();
            return;
        }
        Instant now = clock.instant();
        if (caption.end().isBefore(now.minus(maxAge))) {
            stale.inc();
            return;
        }
        SubtitleCues.Offer offer = live.captions().offer(new SubtitleCues.Cue(caption.phraseId(),
                caption.displayName(), caption.text(), caption.start(), caption.end()));
        switch (offer) {
            case ACCEPTED -> accepted.inc();
            case DUPLICATE -> duplicates.inc();
            case EXPIRED -> {
                expired.inc();
                LOG.debug("Caption {} of event {} ended before the subtitles window", caption.phraseId(),
                        caption.meetingId());
            }
        }
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
