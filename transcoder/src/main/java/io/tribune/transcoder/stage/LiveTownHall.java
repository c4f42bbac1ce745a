package io.tribune.transcoder.stage;

import io.tribune.events.LiveBroadcasts;
import io.tribune.transcoder.TownHallTranscoder;
import java.util.Objects;
import org.redisson.api.RTopic;

/**
 * One stage town hall running in this transcoder ({@link StageTownHalls}): its port block, source and transcoder,
 * and the egress descriptions seen. {@link #published} (Redisson's thread) and {@link #polled} (the control thread)
 * are synchronized; the rest is set by the control thread.
 */
final class LiveTownHall {

    /** Where a description that cannot be used is reported (logged and counted by the owner). */
    interface BadMessages {
        void dropped(String where, String why);
    }

    final String meetingId;
    final int slot;
    final int rtpPort;
    final StageSource source;
    final TownHallTranscoder transcoder;
    volatile RTopic topic;
    volatile int listenerId;
    private final BadMessages badMessages;
    private String applied;
    private String lastPolled;
    private boolean first = true;

    LiveTownHall(String meetingId, int slot, int rtpPort, StageSource source, TownHallTranscoder transcoder,
                 BadMessages badMessages) {
        this.meetingId = meetingId;
        this.slot = slot;
        this.rtpPort = rtpPort;
        this.source = source;
        this.transcoder = transcoder;
        this.badMessages = badMessages;
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
                badMessages.dropped(where, e.getMessage());
                return;
            }
            if (description.streams().stream().anyMatch(s -> s.port() < rtpPort || s.port() >= rtpPort + 64)) {
                applied = json;
                badMessages.dropped(where, "streams outside this town hall's ports " + rtpPort + ".." + (rtpPort + 63));
                return;
            }
        }
        applied = json;
        first = false;
        source.follow(description);
    }
}
