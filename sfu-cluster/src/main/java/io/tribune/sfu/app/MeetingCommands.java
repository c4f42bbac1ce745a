package io.tribune.sfu.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The api-server's JSON commands to a meeting's room, on the Redis channels {@code tribune:meeting:{<id>}:<kind>}
 * (one pattern subscription per kind: {@code sfu-control}, {@code egress-control}): each is parsed, its
 * {@code action} handed to the handler with the room id, and counted as applied or dropped. A command that is not
 * JSON, has no textual {@code action}, arrives on a channel without a room, or that the handler refuses is dropped.
 * Thread-safe; commands run on Redisson's threads.
 */
final class MeetingCommands implements Managed {

    /** Applies one command; false drops it (malformed for this action). */
    interface Handler {
        boolean apply(String room, String action, JsonNode command);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String uri;
    private final String clientName;
    private final String kind;
    private final Handler handler;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile RedissonClient redis;

    MeetingCommands(String uri, String clientName, String kind, Handler handler) {
        this.uri = uri;
        this.clientName = clientName;
        this.kind = kind;
        this.handler = handler;
    }

    @Override
    public void start() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress(uri).setClientName(clientName).setRetryAttempts(1);
        RedissonClient client = Redisson.create(config);
        RPatternTopic topic = client.getPatternTopic("tribune:meeting:{*}:" + kind, StringCodec.INSTANCE);
        topic.addListener(String.class, (pattern, channel, message) -> apply(channel.toString(), message));
        redis = client;
    }

    @Override
    public void stop() {
        RedissonClient client = redis;
        if (client != null) {
            client.shutdown();
        }
    }

    /** The client, for what else the owner keeps in Redis; null before {@link #start()}. */
    RedissonClient redis() {
        return redis;
    }

    long applied() {
        return applied.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Applies one command that arrived on channel {@code tribune:meeting:{<id>}:<kind>}. */
    void apply(String channel, String message) {
        int open = channel.indexOf('{');
        int close = channel.indexOf("}:", open);
        JsonNode command;
        try {
            command = JSON.readTree(message);
        } catch (IOException e) {
            command = null;
        }
        boolean done = open >= 0 && close > open + 1 && command != null && command.path("action").isTextual()
                && handler.apply(channel.substring(open + 1, close), command.path("action").asText(), command);
        (done ? applied : dropped).incrementAndGet();
    }
}
