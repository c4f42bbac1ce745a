package io.tribune.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.auth.OpaqueTokens;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The waiting room of each meeting, in Redis so every api-server instance sees it: a hash of entries (who waits
 * and why) and a hash of decisions (admitted or denied) that hosts write. Keeping decisions apart means a
 * client's poll, which refreshes its entry, can never overwrite an admission made at the same moment.
 *
 * <p>Each entry carries the SHA-256 of a random lobby token that only the waiting client got; polls must
 * present it. Entries that are not polled for {@code lobbyTtl} expire.
 *
 * <p>Thread-safe: state lives in Redis; decisions are written by an atomic script.
 */
public final class MeetingLobby {

    /** Why someone waits. */
    public enum Reason {
        /** A host or co-host must admit them (the meeting has a lobby and they were not invited). */
        AWAITING_ADMISSION,
        /** join_before_host is off and no host or co-host is present yet. */
        WAITING_FOR_HOST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a host decided. */
    public enum Decision { ADMITTED, DENIED }

    /**
     * One waiting person: {@code userId} null for guests; {@code role} the role they will join with;
     * {@code needsAdmission} whether a decision is needed; times in epoch milliseconds.
     */
    public record Entry(String participantId, String userId, String displayName, String role,
                        boolean needsAdmission, String tokenSha256, long since, long expiresAt) {
    }

    /** An entry with the host's decision, if any. */
    public record Waiting(Entry entry, Optional<Decision> decision) {
    }

    /** Sets the decision only while the entry exists (a host cannot admit someone who left). */
    private static final String DECIDE = """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            return 1
            """;

    private final RedissonManager redis;
    private final ObjectMapper mapper;
    private final Duration ttl;
    private final Clock clock;

    public MeetingLobby(RedissonManager redis, ObjectMapper mapper, Duration ttl, Clock clock) {
        this.redis = Objects.requireNonNull(redis);
        this.mapper = Objects.requireNonNull(mapper);
        this.ttl = Objects.requireNonNull(ttl);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Puts someone in the lobby; {@code lobbyToken} is what they must present when polling. */
    public Entry enter(String meetingId, String participantId, String userId, String displayName, MeetingRole role,
                       boolean needsAdmission, String lobbyToken) {
        long now = clock.millis();
        Entry entry = new Entry(participantId, userId, displayName, role.wireName(), needsAdmission,
                OpaqueTokens.hexHash(lobbyToken), now, now + ttl.toMillis());
        entries(meetingId).put(participantId, json(entry));
        entries(meetingId).expire(ttl);
        decisions(meetingId).remove(participantId);
        return entry;
    }

    /**
     * The entry of a poll that presents {@code lobbyToken}, with its expiry pushed back; empty when there is no
     * such entry, it expired, or the token is wrong.
     */
    public Optional<Waiting> poll(String meetingId, String participantId, String lobbyToken) {
        Optional<Waiting> waiting = find(meetingId, participantId);
        if (waiting.isEmpty() || lobbyToken == null || !MessageDigest.isEqual(
                waiting.get().entry().tokenSha256().getBytes(StandardCharsets.US_ASCII),
                OpaqueTokens.hexHash(lobbyToken).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Entry entry = waiting.get().entry();
        Entry refreshed = new Entry(entry.participantId(), entry.userId(), entry.displayName(), entry.role(),
                entry.needsAdmission(), entry.tokenSha256(), entry.since(), clock.millis() + ttl.toMillis());
        entries(meetingId).put(participantId, json(refreshed));
        entries(meetingId).expire(ttl);
        return Optional.of(new Waiting(refreshed, waiting.get().decision()));
    }

    public Optional<Waiting> find(String meetingId, String participantId) {
        String raw = entries(meetingId).get(participantId);
        if (raw == null) {
            return Optional.empty();
        }
        Entry entry = parse(raw);
        if (entry.expiresAt() <= clock.millis()) {
            leave(meetingId, participantId);
            return Optional.empty();
        }
        return Optional.of(new Waiting(entry, decision(meetingId, participantId)));
    }

    /** Everyone waiting, longest-waiting first; expired entries are removed on the way. */
    public List<Waiting> list(String meetingId) {
        Map<String, String> all = entries(meetingId).readAllMap();
        Map<String, String> decided = decisions(meetingId).readAllMap();
        long now = clock.millis();
        List<Waiting> result = new ArrayList<>();
        for (Map.Entry<String, String> raw : all.entrySet()) {
            Entry entry = parse(raw.getValue());
            if (entry.expiresAt() <= now) {
                leave(meetingId, raw.getKey());
                continue;
            }
            result.add(new Waiting(entry, Optional.ofNullable(decided.get(raw.getKey())).map(Decision::valueOf)));
        }
        result.sort((a, b) -> Long.compare(a.entry().since(), b.entry().since()));
        return result;
    }

    /** Records a host's decision; false when nobody with that id waits. */
    public boolean decide(String meetingId, String participantId, Decision decision) {
        Long done = redis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, DECIDE,
                RScript.ReturnType.LONG, List.of(RedisKeys.lobby(meetingId), RedisKeys.lobbyDecisions(meetingId)),
                participantId, decision.name(), Long.toString(ttl.toMillis()));
        return done != null && done == 1;
    }

    public void leave(String meetingId, String participantId) {
        entries(meetingId).remove(participantId);
        decisions(meetingId).remove(participantId);
    }

    private Optional<Decision> decision(String meetingId, String participantId) {
        return Optional.ofNullable(decisions(meetingId).get(participantId)).map(Decision::valueOf);
    }

    private RMap<String, String> entries(String meetingId) {
        return redis.client().getMap(RedisKeys.lobby(meetingId), StringCodec.INSTANCE);
    }

    private RMap<String, String> decisions(String meetingId) {
        return redis.client().getMap(RedisKeys.lobbyDecisions(meetingId), StringCodec.INSTANCE);
    }

    private String json(Entry entry) {
        try {
            return mapper.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a lobby entry", e);
        }
    }

    private Entry parse(String raw) {
        try {
            return mapper.readValue(raw, Entry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable lobby entry in Redis", e);
        }
    }
}
