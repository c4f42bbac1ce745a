package io.tribune.api.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tribune.api.errors.ApiException;
import io.tribune.api.redis.RedissonManager;
import io.tribune.events.MediaTaps;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switching a meeting's live captions on and off (issue 9). The state lives in Redis only, in the key the SFU reads
 * when it creates a room ({@link MediaTaps#captionsKey}); the command reaches the room's node at once over its
 * sfu-control channel:
 * <pre>
 *   on:  SET tribune:meeting:{id}:captions on; PUBLISH sfu-control {"action":"captions_start"}
 *   off: DEL tribune:meeting:{id}:captions;    PUBLISH sfu-control {"action":"captions_stop"}
 * </pre>
 * and everyone in the meeting channel hears {@code captions.state {enabled, by}}. Who may: the host, co-hosts and
 * admins; switching on needs the meeting's {@code transcription_allowed}. {@code auto_captions} switches them on
 * when the host or a co-host opens the meeting channel; the meeting's end switches them off.
 *
 * <p>Thread-safe.
 */
public final class LiveCaptions {

    static final String ON = "on";

    private static final Logger LOG = LoggerFactory.getLogger(LiveCaptions.class);

    private final MeetingScheduler scheduler;
    private final RedissonManager redis;
    private final ObjectMapper json;

    public LiveCaptions(MeetingScheduler scheduler, RedissonManager redis, ObjectMapper json) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.redis = Objects.requireNonNull(redis);
        this.json = Objects.requireNonNull(json);
    }

    /**
     * Switches captions on or off for a signed-in caller (REST).
     *
     * @throws ApiException 404 for strangers, 403 {@code forbidden} for people who may not moderate, 409
     *                      {@code captions_not_allowed} when switching on is forbidden by the meeting's settings,
     *                      409 {@code meeting_cancelled}
     */
    public boolean set(Caller caller, String meetingId, boolean enabled) {
        MeetingAccess access = MeetingAccess.of(scheduler.get(meetingId), caller).requireView();
        if (!access.canModerate() && !caller.isAdmin()) {
            throw MeetingErrors.forbidden(meetingId, "Only the host, co-hosts and admins may switch captions on or "
                    + "off.");
        }
        return apply(access.meeting(), enabled, caller.userId());
    }

    /**
     * Switches captions on or off for someone the meeting channel already found to moderate ({@code by} is their
     * participant id).
     *
     * @throws ApiException as {@link #set}, less the permission check
     */
    public boolean set(String meetingId, boolean enabled, String by) {
        return apply(scheduler.get(meetingId), enabled, by);
    }

    /**
     * {@code auto_captions}: switches captions on when a host or co-host opens a meeting that asks for them (and
     * allows transcription) while they are off; false when nothing was switched.
     */
    public boolean startAutomatically(String meetingId, String by) {
        Optional<Meeting> meeting = scheduler.find(meetingId);
        if (meeting.isEmpty() || meeting.get().cancelled() || !meeting.get().settings().autoCaptions()
                || !meeting.get().settings().transcriptionAllowed() || enabled(meetingId)) {
            return false;
        }
        apply(meeting.get(), true, by);
        return true;
    }

    /** Whether the meeting's captions are on; false when Redis cannot answer (the welcome must not fail). */
    public boolean enabled(String meetingId) {
        try {
            return redis.client().getBucket(MediaTaps.captionsKey(meetingId), StringCodec.INSTANCE).isExists();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the captions state of meeting {}: {}", meetingId, e.toString());
            return false;
        }
    }

    /**
     * Switches captions off because the meeting ended: the key goes and the SFU hears {@code captions_stop} if they
     * were on. Redis failures are logged, not thrown (the end must go on).
     */
    public void clear(String meetingId) {
        try {
            if (redis.client().getBucket(MediaTaps.captionsKey(meetingId), StringCodec.INSTANCE).delete()) {
                command(meetingId, false);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not switch the captions of ended meeting {} off: {}", meetingId, e.toString());
        }
    }

    private boolean apply(Meeting meeting, boolean enabled, String by) {
        if (enabled && meeting.cancelled()) {
            throw MeetingErrors.cancelled(meeting.id());
        }
        if (enabled && !meeting.settings().transcriptionAllowed()) {
            throw new ApiException(409, "captions_not_allowed", "This meeting's settings do not allow captions or "
                    + "transcription; a host can allow them in the meeting's settings (transcription_allowed).",
                    Map.of("meeting_id", meeting.id()));
        }
        ObjectNode state = json.createObjectNode().put("type", "captions.state").put("enabled", enabled);
        if (by == null) {
            state.putNull("by");
        } else {
            state.put("by", by);
        }
        try {
            var key = redis.client().getBucket(MediaTaps.captionsKey(meeting.id()), StringCodec.INSTANCE);
            if (enabled) {
                key.set(ON);
            } else {
                key.delete();
            }
            // Sent even when nothing changed: an SFU node that missed the first command catches up.
            command(meeting.id(), enabled);
            redis.client().getTopic(RedisKeys.channelTopic(meeting.id()), StringCodec.INSTANCE)
                    .publish(state.toString());
        } catch (RuntimeException e) {
            // Unlike a recording's, this failure is the caller's to see: nothing else holds the captions state.
            LOG.warn("Could not switch the captions of meeting {} {}: {}", meeting.id(), enabled ? "on" : "off",
                    e.toString());
            throw new ApiException(503, "captions_unavailable", "Captions could not be switched because the server "
                    + "cannot reach its Redis store; try again in a moment.", Map.of("meeting_id", meeting.id()));
        }
        return enabled;
    }

    private void command(String meetingId, boolean on) {
        ObjectNode command = json.createObjectNode().put("action", on ? MediaTaps.CAPTIONS_START
                : MediaTaps.CAPTIONS_STOP);
        redis.client().getTopic(RedisKeys.sfuControl(meetingId), StringCodec.INSTANCE).publish(command.toString());
    }
}
