package io.tribune.api.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code sessions} and {@code refresh_tokens}. Attach to the handle of the transaction at hand. Refresh tokens
 * are looked up by their SHA-256 only.
 * An attached instance belongs to its handle (one thread, one transaction).
 */
@RegisterConstructorMapper(SessionRow.class)
@RegisterConstructorMapper(RefreshTokenRow.class)
@RegisterConstructorMapper(SessionStateRow.class)
public interface SessionDao {

    String COLUMNS = "id, user_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason, user_agent, "
            + "ip_address";

    @SqlUpdate("INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip_address)"
            + " VALUES (:id, :userId, :now, :now, :expiresAt, :userAgent, :ipAddress)")
    void insertSession(@Bind("id") UUID id, @Bind("userId") UUID userId, @Bind("now") Instant now,
                       @Bind("expiresAt") Instant expiresAt, @Bind("userAgent") String userAgent,
                       @Bind("ipAddress") String ipAddress);

    @SqlUpdate("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)"
            + " VALUES (:tokenHash, :sessionId, :now, :expiresAt)")
    void insertRefreshToken(@Bind("tokenHash") byte[] tokenHash, @Bind("sessionId") UUID sessionId,
                            @Bind("now") Instant now, @Bind("expiresAt") Instant expiresAt);

    /** The token and what its session says, without locks (to find the account to lock first). */
    @SqlQuery("SELECT t.token_hash, t.session_id, s.user_id, t.expires_at, t.rotated_at,"
            + " s.revoked_at AS session_revoked_at"
            + " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id"
            + " WHERE t.token_hash = :tokenHash")
    Optional<RefreshTokenRow> findRefreshToken(@Bind("tokenHash") byte[] tokenHash);

    /** The token and its session, both locked: concurrent refreshes with one token are decided one at a time. */
    @SqlQuery("SELECT t.token_hash, t.session_id, s.user_id, t.expires_at, t.rotated_at,"
            + " s.revoked_at AS session_revoked_at"
            + " FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id"
            + " WHERE t.token_hash = :tokenHash FOR UPDATE OF t, s")
    Optional<RefreshTokenRow> lockRefreshToken(@Bind("tokenHash") byte[] tokenHash);

    @SqlUpdate("UPDATE refresh_tokens SET rotated_at = :now WHERE token_hash = :tokenHash")
    void markRotated(@Bind("tokenHash") byte[] tokenHash, @Bind("now") Instant now);

    @SqlUpdate("UPDATE sessions SET last_used_at = :now, expires_at = :expiresAt WHERE id = :id")
    void touch(@Bind("id") UUID id, @Bind("now") Instant now, @Bind("expiresAt") Instant expiresAt);

    /** Revokes one live session; returns its id, or nothing when it was revoked already or does not exist. */
    @SqlQuery("UPDATE sessions SET revoked_at = :now, revoked_reason = :reason"
            + " WHERE id = :id AND revoked_at IS NULL RETURNING id")
    Optional<UUID> revoke(@Bind("id") UUID id, @Bind("now") Instant now, @Bind("reason") String reason);

    /** Revokes every live session of the account; returns their ids. */
    @SqlQuery("UPDATE sessions SET revoked_at = :now, revoked_reason = :reason"
            + " WHERE user_id = :userId AND revoked_at IS NULL RETURNING id")
    List<UUID> revokeAll(@Bind("userId") UUID userId, @Bind("now") Instant now, @Bind("reason") String reason);

    /** Revokes every live session of the account but {@code keep}; returns their ids. */
    @SqlQuery("UPDATE sessions SET revoked_at = :now, revoked_reason = :reason"
            + " WHERE user_id = :userId AND revoked_at IS NULL AND id <> :keep RETURNING id")
    List<UUID> revokeAllBut(@Bind("userId") UUID userId, @Bind("keep") UUID keep, @Bind("now") Instant now,
                            @Bind("reason") String reason);

    /** Empty when the session does not exist or is not the account's. */
    @SqlQuery("SELECT s.revoked_at IS NOT NULL AS session_revoked, u.role,"
            + " (u.disabled OR u.deleted_at IS NOT NULL) AS account_inactive"
            + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = :id AND s.user_id = :userId")
    Optional<SessionStateRow> state(@Bind("id") UUID id, @Bind("userId") UUID userId);

    @SqlQuery("SELECT " + COLUMNS + " FROM sessions WHERE user_id = :userId ORDER BY created_at, id")
    List<SessionRow> listForUser(@Bind("userId") UUID userId);

    /** Deletes the account's sessions with their refresh tokens (erasure). */
    @SqlUpdate("DELETE FROM sessions WHERE user_id = :userId")
    int deleteForUser(@Bind("userId") UUID userId);
}
