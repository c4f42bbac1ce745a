package io.tribune.api.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.redis.RedissonManager;
import org.redisson.api.RMap;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Who is connected to a meeting's channel, in a Redis hash shared by every api-server instance
 * ({@link RedisKeys#roster}). Updates of one entry are read-modify-write without a lock: the last writer wins,
 * which for flags a participant sets about itself (and a host's mute) is what users expect. Thread-safe.
 */
final class Roster {

    /** Deletes the entry only if it still belongs to connection ARGV[2] (a newer connection may have replaced it). */
    private static final String REMOVE_IF_CONNECTION = """
            local entry = redis.call('HGET', KEYS[1], ARGV[1])
            if entry and cjson.decode(entry)['connection_id'] == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    private final RedissonManager redis;
    private final ObjectMapper json;

    Roster(RedissonManager redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    void put(String meetingId, RosterEntry entry) {
        map(meetingId).fastPut(entry.participantId(), write(entry));
    }

    List<RosterEntry> list(String meetingId) {
        List<RosterEntry> entries = new ArrayList<>();
        for (String value : map(meetingId).readAllValues()) {
            entries.add(read(value));
        }
        entries.sort(Comparator.comparing(RosterEntry::joinedAt).thenComparing(RosterEntry::participantId));
        return entries;
    }

    Optional<RosterEntry> get(String meetingId, String participantId) {
        String value = map(meetingId).get(participantId);
        return value == null ? Optional.empty() : Optional.of(read(value));
    }

    /** Applies {@code change} to the entry, if there is one, and returns the result. */
    Optional<RosterEntry> update(String meetingId, String participantId, UnaryOperator<RosterEntry> change) {
        Optional<RosterEntry> changed = get(meetingId, participantId).map(change);
        changed.ifPresent(entry -> put(meetingId, entry));
        return changed;
    }

    /** Removes the participant if {@code connectionId} is still its connection; true when removed. */
    boolean removeIfConnection(String meetingId, String participantId, String connectionId) {
        Long removed = redis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE,
                REMOVE_IF_CONNECTION, RScript.ReturnType.LONG, List.of(RedisKeys.roster(meetingId)), participantId,
                connectionId);
        return removed != null && removed == 1;
    }

    void remove(String meetingId, String participantId) {
        map(meetingId).fastRemove(participantId);
    }

    void clear(String meetingId) {
        map(meetingId).delete();
    }

    private RMap<String, String> map(String meetingId) {
        return redis.client().getMap(RedisKeys.roster(meetingId), StringCodec.INSTANCE);
    }

    private String write(RosterEntry entry) {
        try {
            return json.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RosterEntry read(String value) {
        try {
            return json.readValue(value, RosterEntry.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
