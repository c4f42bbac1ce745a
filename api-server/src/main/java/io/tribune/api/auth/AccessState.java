package io.tribune.api.auth;

import io.tribune.api.cache.NearCache;
import io.tribune.api.db.SessionDao;
import io.tribune.api.db.SessionStateRow;
import io.tribune.api.errors.ApiException;
import io.tribune.api.redis.RedissonManager;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RBatch;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What an access token may do right now, beyond what its signature says: whether its session is still live and
 * the account's current role (or that it is disabled or erased). PostgreSQL holds the truth; Redis caches it so
 * that checking a token costs one round trip (MGET of two keys):
 *
 * <pre>
 *   tribune:auth:session:{sid}  "active" | "revoked"
 *   tribune:auth:user:{uid}     "admin" | "host" | "member" | "inactive"
 * </pre>
 *
 * Both expire after the access-token lifetime plus the clock skew, after which no token they could matter for
 * is still valid. A missing key is loaded from PostgreSQL and stored with SET NX, so a load that read the
 * database before a concurrent change cannot overwrite the change's own write. Changes write their new state
 * (plain SET) inside the database transaction that makes them, as its last step: if Redis refuses, the change
 * rolls back (503) rather than leave tokens valid that should not be. When Redis cannot be read, tokens are
 * checked against PostgreSQL directly.
 *
 * <p>In front of Redis, two {@link NearCache}s keep the answers in memory, so a client reusing its token costs no
 * round trip at all. They are evicted here when this instance records a change (right after its Redis write), and
 * on every instance when the change commits (the {@code sessions} and {@code users} triggers announce it on the
 * {@link io.tribune.api.cache.ChangeFeed}): a revocation takes effect everywhere within milliseconds of its commit.
 *
 * <p>Thread-safe.
 */
public final class AccessState {

    static final String SESSION_KEY = "tribune:auth:session:";
    static final String USER_KEY = "tribune:auth:user:";
    static final String ACTIVE = "active";
    static final String REVOKED = "revoked";
    static final String INACTIVE = "inactive";

    private static final Logger LOG = LoggerFactory.getLogger(AccessState.class);
    private static final long WARN_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final RedissonManager redis;
    private final Jdbi jdbi;
    private final Duration ttl;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private final NearCache<String> sessions;
    private final NearCache<String> accounts;

    /**
     * @param ttl      how long cached entries live: the access-token lifetime plus the clock skew
     * @param sessions session id -> {@code active} or {@code revoked}, evicted on session changes
     * @param accounts user id -> role or {@code inactive}, evicted on account changes
     */
    public AccessState(RedissonManager redis, Jdbi jdbi, Duration ttl, NearCache<String> sessions,
                       NearCache<String> accounts) {
        this.redis = redis;
        this.jdbi = jdbi;
        this.ttl = ttl;
        this.sessions = Objects.requireNonNull(sessions);
        this.accounts = Objects.requireNonNull(accounts);
    }

    /** The account's current role when the session is live and the account enabled; empty otherwise. */
    public Optional<PlatformRole> currentRole(UUID userId, UUID sessionId) {
        String sid = sessionId.toString();
        String uid = userId.toString();
        String session = sessions.peek(sid);
        String user = accounts.peek(uid);
        if (session != null && user != null) {
            return decide(new CachedState(session, user));
        }
        long sessionsBefore = sessions.generation();
        long accountsBefore = accounts.generation();
        String sessionKey = SESSION_KEY + sid;
        String userKey = USER_KEY + uid;
        Map<String, String> cached;
        try {
            cached = redis.client().getBuckets(StringCodec.INSTANCE).get(sessionKey, userKey);
        } catch (RedisException | IllegalStateException e) {
            warn("read", e);
            return fromDatabase(userId, sessionId).flatMap(AccessState::decide);
        }
        session = cached.get(sessionKey);
        user = cached.get(userKey);
        if (session == null || user == null) {
            Optional<CachedState> loaded = fromDatabase(userId, sessionId);
            if (loaded.isEmpty()) {
                return Optional.empty();
            }
            session = session == null ? loaded.get().session() : session;
            user = user == null ? loaded.get().user() : user;
            store(sessionKey, loaded.get().session(), userKey, loaded.get().user());
        }
        sessions.offer(sid, session, sessionsBefore);
        accounts.offer(uid, user, accountsBefore);
        return decide(new CachedState(session, user));
    }

    /** Records revoked sessions; call inside the transaction that revokes them, after the database change. */
    public void sessionsRevoked(Collection<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        write(batch -> sessionIds.forEach(id ->
                batch.<String>getBucket(SESSION_KEY + id, StringCodec.INSTANCE).setAsync(REVOKED, ttl)));
        sessionIds.forEach(id -> sessions.invalidate(id.toString()));
    }

    /** Records the account's role and whether it may use tokens; call inside the changing transaction. */
    public void accountChanged(UUID userId, PlatformRole role, boolean active) {
        String value = active ? role.wireName() : INACTIVE;
        write(batch -> batch.<String>getBucket(USER_KEY + userId, StringCodec.INSTANCE).setAsync(value, ttl));
        accounts.invalidate(userId.toString());
    }

    private record CachedState(String session, String user) {
    }

    private static Optional<PlatformRole> decide(CachedState state) {
        if (!ACTIVE.equals(state.session()) || INACTIVE.equals(state.user())) {
            return Optional.empty();
        }
        try {
            return Optional.of(PlatformRole.parse(state.user()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<CachedState> fromDatabase(UUID userId, UUID sessionId) {
        Optional<SessionStateRow> row;
        try {
            row = jdbi.withExtension(SessionDao.class, dao -> dao.state(sessionId, userId));
        } catch (RuntimeException e) {
            LOG.warn("Cannot check a session in PostgreSQL: {}", e.toString());
            throw new ApiException(503, "service_unavailable", "Authentication is unavailable; try again later.");
        }
        return row.map(state -> new CachedState(state.sessionRevoked() ? REVOKED : ACTIVE,
                state.accountInactive() ? INACTIVE : state.role()));
    }

    private void store(String sessionKey, String session, String userKey, String user) {
        try {
            RBatch batch = redis.client().createBatch();
            batch.<String>getBucket(sessionKey, StringCodec.INSTANCE).setIfAbsentAsync(session, ttl);
            batch.<String>getBucket(userKey, StringCodec.INSTANCE).setIfAbsentAsync(user, ttl);
            batch.execute();
        } catch (RedisException | IllegalStateException e) {
            warn("cache", e);
        }
    }

    private void write(Consumer<RBatch> commands) {
        try {
            RBatch batch = redis.client().createBatch();
            commands.accept(batch);
            batch.execute();
        } catch (RedisException | IllegalStateException e) {
            LOG.warn("Cannot record a token revocation in Redis; the change is rolled back: {}", e.toString());
            throw new ApiException(503, "service_unavailable",
                    "The change cannot be made right now (Redis is unavailable); try again later.");
        }
    }

    private void warn(String what, RuntimeException e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Redis unavailable for the access-token {}; checking tokens against PostgreSQL: {}", what,
                    e.toString());
        }
    }
}
