package io.tribune.api.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code one_time_links}: mailed links for email verification and password reset, looked up by SHA-256. An attached
 * instance belongs to its handle (one thread, one transaction).
 */
@RegisterConstructorMapper(OneTimeLinkRow.class)
public interface OneTimeLinkDao {

    String VERIFY_EMAIL = "verify_email";
    String RESET_PASSWORD = "reset_password";

    @SqlUpdate("INSERT INTO one_time_links (id_hash, user_id, purpose, email, created_at, expires_at)"
            + " VALUES (:idHash, :userId, :purpose, :email, :now, :expiresAt)")
    void insert(@Bind("idHash") byte[] idHash, @Bind("userId") UUID userId, @Bind("purpose") String purpose,
                @Bind("email") String email, @Bind("now") Instant now, @Bind("expiresAt") Instant expiresAt);

    @SqlQuery("SELECT user_id, purpose, email, created_at, expires_at, used_at FROM one_time_links"
            + " WHERE id_hash = :idHash AND purpose = :purpose FOR UPDATE")
    Optional<OneTimeLinkRow> lock(@Bind("idHash") byte[] idHash, @Bind("purpose") String purpose);

    @SqlQuery("SELECT user_id, purpose, email, created_at, expires_at, used_at FROM one_time_links"
            + " WHERE id_hash = :idHash AND purpose = :purpose")
    Optional<OneTimeLinkRow> find(@Bind("idHash") byte[] idHash, @Bind("purpose") String purpose);

    /** Marks every unused link of the account for {@code purpose} used: one use ends them all. */
    @SqlUpdate("UPDATE one_time_links SET used_at = :now"
            + " WHERE user_id = :userId AND purpose = :purpose AND used_at IS NULL")
    int useAll(@Bind("userId") UUID userId, @Bind("purpose") String purpose, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM one_time_links WHERE user_id = :userId")
    int deleteForUser(@Bind("userId") UUID userId);
}
