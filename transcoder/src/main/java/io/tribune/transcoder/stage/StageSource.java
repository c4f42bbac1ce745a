package io.tribune.transcoder.stage;

import io.tribune.transcoder.TownHallSource;
import io.tribune.transcoder.pipeline.Rung;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage of an SFU room as a town hall's source: follows the SFU's egress descriptions ({@link #follow}, from
 * Redis) with an {@link RtpStageInput}. The whole ladder starts at once and shows the slate
 * until the stage has video.
 *
 * <ul>
 *   <li>A description with another set of streams (a track published or gone, a new port or caps) replaces the
 *       input; one with no streams stops it (the slate).
 *   <li>A description that only names another dominant speaker moves the compositor's pads, without a rebuild.
 *   <li>An input that fails is rebuilt from the same description after {@link #RETRY}.
 * </ul>
 *
 * <p>Threading: descriptions arrive on any thread and are applied on the transcoder's control thread, in order;
 * the counters are read from any thread.
 */
public final class StageSource implements TownHallSource {

    private static final Logger LOG = LoggerFactory.getLogger(StageSource.class);
    static final Duration RETRY = Duration.ofSeconds(1);

    private final String meetingId;
    private final AtomicLong inputBuilds = new AtomicLong();
    private final AtomicLong speakerChanges = new AtomicLong();
    private Feed feed;
    private Rung top;
    private boolean closed;
    /** The latest description, applied or waiting for {@link #open}; null before the first. */
    private volatile StageDescription latest;
    private volatile RtpStageInput input;
    private volatile String speaker;

    public StageSource(String meetingId) {
        this.meetingId = meetingId;
    }

    @Override
    public synchronized void open(Feed feed) {
        this.feed = feed;
        top = feed.startLadder();
        StageDescription pending = latest;
        if (pending != null) {
            apply(pending);
        }
        LOG.info("town hall {}: following the SFU room's stage; the ladder shows the slate until it has video",
                meetingId);
    }

    /** A new description from the SFU (null: the egress is gone); applied on the control thread. */
    public void follow(StageDescription description) {
        Feed f;
        synchronized (this) {
            latest = description;
            f = feed;
        }
        if (f != null) {
            f.later(() -> apply(description), Duration.ZERO);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopInput();
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public long lastVideoNanoTime() {
        RtpStageInput in = input;
        return in == null ? 0 : in.lastVideoNanoTime();
    }

    @Override
    public String describe() {
        RtpStageInput in = input;
        return in == null ? "stage, no streams" : "stage, " + in.stage().streams().size() + " streams, speaker "
                + speaker;
    }

    /** The streams of the running input, empty without one. */
    public List<StageDescription.Stream> streams() {
        RtpStageInput in = input;
        return in == null ? List.of() : in.stage().streams();
    }

    /** Stage inputs built (the first, and each rebuild for a changed set of streams or a failure). */
    public long inputBuilds() {
        return inputBuilds.get();
    }

    /** Speaker changes applied without a rebuild. */
    public long speakerChanges() {
        return speakerChanges.get();
    }

    public long videoFrames() {
        RtpStageInput in = input;
        return in == null ? 0 : in.videoFrames();
    }

    // ---- control thread

    private synchronized void apply(StageDescription description) {
        if (closed || description != latest) {
            return; // a newer one is queued behind this one
        }
        RtpStageInput in = input;
        if (description == null || description.streams().isEmpty()) {
            if (in != null) {
                LOG.info("town hall {}: the stage has no streams; showing the slate", meetingId);
                stopInput();
            }
            return;
        }
        if (in != null && in.stage().streams().equals(description.streams())) {
            if (!Objects.equals(speaker, description.activeSpeaker())) {
                speaker = description.activeSpeaker();
                in.setActiveSpeaker(speaker);
                speakerChanges.incrementAndGet();
                LOG.info("town hall {}: active speaker {}", meetingId, speaker);
            }
            return;
        }
        stopInput();
        startInput(description);
    }

    private void startInput(StageDescription description) {
        RtpStageInput[] self = new RtpStageInput[1];
        RtpStageInput in = new RtpStageInput(description, top, feed.frameRate(), feed.channel(),
                reason -> feed.later(() -> inputFailed(self[0], reason), RETRY));
        self[0] = in;
        inputBuilds.incrementAndGet();
        try {
            in.start();
            input = in;
            speaker = description.activeSpeaker();
        } catch (RuntimeException e) {
            // parseLaunch refuses a description it cannot build (a port in use, a missing plugin).
            LOG.warn("town hall {}: cannot build the stage input: {}; retrying", meetingId, e.toString());
            in.stop();
            feed.later(() -> {
                synchronized (this) {
                    if (!closed && input == null && latest == description) {
                        startInput(description);
                    }
                }
            }, RETRY);
        }
    }

    private synchronized void inputFailed(RtpStageInput failed, String reason) {
        if (closed || input != failed) {
            return;
        }
        LOG.warn("town hall {}: the stage input failed ({}); rebuilding it", meetingId, reason);
        stopInput();
        StageDescription current = latest;
        if (current != null && !current.streams().isEmpty()) {
            startInput(current);
        }
    }

    private void stopInput() {
        RtpStageInput in = input;
        input = null;
        if (in != null) {
            in.stop();
        }
    }
}
