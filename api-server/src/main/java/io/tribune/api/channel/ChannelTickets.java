package io.tribune.api.channel;

import io.tribune.api.core.JoinRevocations;
import io.tribune.api.core.MeetingJoiner;
import io.tribune.api.core.RedisKeys;
import io.tribune.api.redis.RedissonManager;
import io.tribune.common.token.InvalidTokenException;
import io.tribune.common.token.TokenVerifier;
import io.tribune.common.token.VerifiedToken;
import org.redisson.client.codec.StringCodec;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns a join token into a {@link ChannelTicket}: signature, issuer, audience {@code channel} and times are checked,
 * the token must name a room, must not have opened a channel before (its {@code jti} is marked used in Redis until
 * it expires), and its subject must not have been removed from the meeting. Thread-safe.
 */
final class ChannelTickets {

    /** Why a token was refused, in words for the client. */
    static final class Refused extends Exception {
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    private final TokenVerifier verifier;
    private final RedissonManager redis;
    private final JoinRevocations revocations;
    private final Clock clock;

    ChannelTickets(TokenVerifier verifier, RedissonManager redis, JoinRevocations revocations, Clock clock) {
        this.verifier = Objects.requireNonNull(verifier);
        this.redis = Objects.requireNonNull(redis);
        this.revocations = Objects.requireNonNull(revocations);
        this.clock = Objects.requireNonNull(clock);
    }

    ChannelTicket redeem(String token) throws Refused {
        VerifiedToken verified;
        try {
            verified = verifier.verify(token, MeetingJoiner.AUDIENCE_CHANNEL);
        } catch (InvalidTokenException e) {
            throw new Refused("invalid_token", "The join token is not valid (" + e.getMessage() + "); join again.");
        }
        String room = verified.string("room");
        if (room == null || verified.subject() == null || verified.id() == null) {
            throw new Refused("invalid_token", "The join token names no meeting; join again.");
        }
        if (revocations.isRevoked(room, verified.subject())) {
            throw new Refused("removed", "You were removed from this meeting.");
        }
        Duration left = Duration.between(clock.instant(), verified.expiresAt()).plusMinutes(1);
        boolean first = redis.client().getBucket(RedisKeys.usedJoinToken(MeetingJoiner.AUDIENCE_CHANNEL,
                verified.id()), StringCodec.INSTANCE).setIfAbsent("used", left);
        if (!first) {
            throw new Refused("token_used", "This join token was already used; join again for a new one.");
        }
        String name = verified.string("name");
        boolean guest = "guest".equals(verified.string("role"));
        return new ChannelTicket(room, verified.subject(), guest ? null : verified.subject(),
                name == null ? verified.subject() : name, verified.string("role"), verified.strings("permissions"));
    }
}
