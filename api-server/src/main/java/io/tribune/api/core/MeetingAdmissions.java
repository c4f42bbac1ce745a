package io.tribune.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.auth.OpaqueTokens;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RMap;
import org.redisson.client.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a host or co-host let in from the lobby, remembered for the rest of the meeting's occurrence so that the
 * same person reconnecting (a network blip, a reload) is not sent back to the lobby. A Redis hash per meeting
 * ({@link RedisKeys#admitted}) maps the participant id to the admission: registered users are known by their user
 * id (their access token proves who they are); a guest by the guest participant id plus the SHA-256 of a random
 * rejoin secret handed out once, with the admission, and kept by the guest's browser for this meeting.
 *
 * <p>An admission lasts until {@link #OVERRUN} after the scheduled end of the occurrence in progress when it was
 * granted (or {@code OVERRUN} after the admission for personal rooms and meetings held off schedule); each
 * reconnect pushes it to at least {@code OVERRUN} from then, so a long meeting keeps its people. Removal is not
 * this class's business: the joiner checks {@link JoinRevocations} before honouring an admission.
 *
 * <p>Thread-safe: each operation is a single Redis command on one hash field.
 */
public final class MeetingAdmissions {

    /** How long an admission outlives the scheduled end of its occurrence (meetings run late). */
    public static final Duration OVERRUN = Duration.ofHours(3);

    /** How early before its scheduled start an occurrence counts as the one being held. */
    private static final Duration EARLY = Duration.ofHours(1);

    /**
     * One admission: {@code userId} null and {@code secretSha256} set for a guest; {@code displayName} and
     * {@code role} as admitted; {@code expiresAt} in epoch milliseconds.
     */
    public record Admission(String participantId, String userId, String displayName, String role,
                            String secretSha256, long expiresAt) {
    }

    private final RedissonManager redis;
    private final ObjectMapper mapper;
    private final MeetingIds ids;
    private final Clock clock;

    public MeetingAdmissions(RedissonManager redis, ObjectMapper mapper, MeetingIds ids, Clock clock) {
        this.redis = Objects.requireNonNull(redis);
        this.mapper = Objects.requireNonNull(mapper);
        this.ids = Objects.requireNonNull(ids);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Remembers that {@code participantId} was admitted to {@code meeting}; answers the guest's rejoin secret (the
     * only time it exists in clear), or null for a registered user.
     */
    public String remember(Meeting meeting, String participantId, String userId, String displayName,
                           MeetingRole role) {
        String secret = userId == null ? ids.newToken() : null;
        long expiresAt = until(meeting);
        store(meeting.id(), new Admission(participantId, userId, displayName, role.wireName(),
                secret == null ? null : OpaqueTokens.hexHash(secret), expiresAt));
        return secret;
    }

    /** The admission of a registered user, if they were let in during this occurrence. */
    public Optional<Admission> ofUser(String meetingId, String userId) {
        return find(meetingId, userId).filter(a -> userId.equals(a.userId()));
    }

    /**
     * The admission of a guest who presents the rejoin secret they were given; empty when there is none, it
     * expired, or the secret does not match (compared in constant time).
     */
    public Optional<Admission> ofGuest(String meetingId, String participantId, String secret) {
        if (participantId == null || secret == null) {
            return Optional.empty();
        }
        return find(meetingId, participantId).filter(a -> a.userId() == null && a.secretSha256() != null
                && MessageDigest.isEqual(a.secretSha256().getBytes(StandardCharsets.US_ASCII),
                OpaqueTokens.hexHash(secret).getBytes(StandardCharsets.US_ASCII)));
    }

    /** Pushes the admission's end to at least {@link #OVERRUN} from now (the person is still in the meeting). */
    public void refresh(String meetingId, Admission admission) {
        long atLeast = clock.millis() + OVERRUN.toMillis();
        if (admission.expiresAt() < atLeast) {
            store(meetingId, new Admission(admission.participantId(), admission.userId(), admission.displayName(),
                    admission.role(), admission.secretSha256(), atLeast));
        }
    }

    public void forget(String meetingId, String participantId) {
        admissions(meetingId).remove(participantId);
    }

    /** The meeting ended for everyone: whoever comes back to a later session of it waits for the host again. */
    public void forgetAll(String meetingId) {
        admissions(meetingId).delete();
    }

    private Optional<Admission> find(String meetingId, String participantId) {
        String raw = admissions(meetingId).get(participantId);
        if (raw == null) {
            return Optional.empty();
        }
        Admission admission = parse(raw);
        if (admission.expiresAt() <= clock.millis()) {
            forget(meetingId, participantId);
            return Optional.empty();
        }
        return Optional.of(admission);
    }

    /** The end of the occurrence being held now (or about to start) plus the overrun; now plus it otherwise. */
    private long until(Meeting meeting) {
        Instant now = clock.instant();
        Instant end = now;
        if (meeting.schedule() != null) {
            for (Occurrence occurrence : meeting.schedule().occurrences(now, now.plus(EARLY))) {
                if (occurrence.endTime().isAfter(end)) {
                    end = occurrence.endTime();
                }
            }
        }
        return end.plus(OVERRUN).toEpochMilli();
    }

    private void store(String meetingId, Admission admission) {
        RMap<String, String> map = admissions(meetingId);
        map.put(admission.participantId(), json(admission));
        // The hash lives as long as its longest admission; expired fields are dropped when read.
        long keyExpiry = Math.max(admission.expiresAt(), map.remainTimeToLive() > 0
                ? clock.millis() + map.remainTimeToLive() : 0);
        map.expire(Instant.ofEpochMilli(keyExpiry));
    }

    private RMap<String, String> admissions(String meetingId) {
        return redis.client().getMap(RedisKeys.admitted(meetingId), StringCodec.INSTANCE);
    }

    private String json(Admission admission) {
        try {
            return mapper.writeValueAsString(admission);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an admission", e);
        }
    }

    private Admission parse(String raw) {
        try {
            return mapper.readValue(raw, Admission.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable admission in Redis", e);
        }
    }
}
