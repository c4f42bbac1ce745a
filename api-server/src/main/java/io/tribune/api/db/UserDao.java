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
 * {@code users}. Attach to the handle of the transaction at hand ({@code handle.attach(UserDao.class)}); the
 * {@code lock*} methods take row locks that last until it ends. Email and username comparisons ignore case, as
 * the unique indexes do. "Live" rows are those not erased.
 * An attached instance belongs to its handle (one thread, one transaction).
 */
@RegisterConstructorMapper(UserRow.class)
public interface UserDao {

    String COLUMNS = "id, username, email, password_hash, role, disabled, email_verified_at, created_at, updated_at, "
            + "deleted_at";
    /** Unique index names, to tell which field a unique violation is about. */
    String EMAIL_UNIQUE = "users_email_lower_key";
    String USERNAME_UNIQUE = "users_username_lower_key";

    @SqlUpdate("INSERT INTO users (id, username, email, password_hash, role, email_verified_at, created_at, updated_at)"
            + " VALUES (:id, :username, :email, :passwordHash, :role, :emailVerifiedAt, :now, :now)")
    void insert(@Bind("id") UUID id, @Bind("username") String username, @Bind("email") String email,
                @Bind("passwordHash") String passwordHash, @Bind("role") String role,
                @Bind("emailVerifiedAt") Instant emailVerifiedAt, @Bind("now") Instant now);

    /** As {@link #insert} but a no-op (0) when the email or username is taken; 1 when inserted. */
    @SqlUpdate("INSERT INTO users (id, username, email, password_hash, role, email_verified_at, created_at, updated_at)"
            + " VALUES (:id, :username, :email, :passwordHash, :role, :emailVerifiedAt, :now, :now)"
            + " ON CONFLICT DO NOTHING")
    int insertIfAbsent(@Bind("id") UUID id, @Bind("username") String username, @Bind("email") String email,
                       @Bind("passwordHash") String passwordHash, @Bind("role") String role,
                       @Bind("emailVerifiedAt") Instant emailVerifiedAt, @Bind("now") Instant now);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id AND deleted_at IS NULL")
    Optional<UserRow> findLive(@Bind("id") UUID id);

    /** Also returns erased rows. */
    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
    Optional<UserRow> find(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id AND deleted_at IS NULL FOR UPDATE")
    Optional<UserRow> lockLive(@Bind("id") UUID id);

    /** A shared lock: the row cannot be disabled, erased or changed until the transaction ends. */
    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id AND deleted_at IS NULL FOR SHARE")
    Optional<UserRow> shareLockLive(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(:email) AND deleted_at IS NULL")
    Optional<UserRow> findLiveByEmail(@Bind("email") String email);

    @SqlUpdate("UPDATE users SET username = :username, email = :email, email_verified_at = :emailVerifiedAt,"
            + " updated_at = :now WHERE id = :id")
    void updateProfile(@Bind("id") UUID id, @Bind("username") String username, @Bind("email") String email,
                       @Bind("emailVerifiedAt") Instant emailVerifiedAt, @Bind("now") Instant now);

    @SqlUpdate("UPDATE users SET password_hash = :passwordHash, updated_at = :now WHERE id = :id")
    void updatePasswordHash(@Bind("id") UUID id, @Bind("passwordHash") String passwordHash, @Bind("now") Instant now);

    /** Marks {@code email} verified when it is still the account's address; 1 when it was. */
    @SqlUpdate("UPDATE users SET email_verified_at = coalesce(email_verified_at, :now), updated_at = :now"
            + " WHERE id = :id AND lower(email) = lower(:email) AND deleted_at IS NULL")
    int markEmailVerified(@Bind("id") UUID id, @Bind("email") String email, @Bind("now") Instant now);

    @SqlUpdate("UPDATE users SET role = :role, disabled = :disabled, updated_at = :now WHERE id = :id")
    void updateRoleAndDisabled(@Bind("id") UUID id, @Bind("role") String role, @Bind("disabled") boolean disabled,
                               @Bind("now") Instant now);

    /** GDPR erasure: drops everything personal, keeps the id (referenced elsewhere) and the dates. */
    @SqlUpdate("UPDATE users SET username = NULL, email = NULL, password_hash = NULL, email_verified_at = NULL,"
            + " disabled = true, deleted_at = :now, updated_at = :now WHERE id = :id")
    void erase(@Bind("id") UUID id, @Bind("now") Instant now);

    /** Locks every enabled admin, so that two admins cannot both demote themselves past the last one. */
    @SqlQuery("SELECT id FROM users WHERE role = 'admin' AND NOT disabled AND deleted_at IS NULL ORDER BY id"
            + " FOR UPDATE")
    List<UUID> lockActiveAdmins();

    /**
     * A page of live accounts, oldest first. {@code pattern} is a lower-case LIKE pattern with '!' as escape
     * character, matched against username and email; null for all. {@code role} null for every role.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE deleted_at IS NULL"
            + " AND (CAST(:pattern AS text) IS NULL OR lower(username) LIKE :pattern ESCAPE '!'"
            + " OR lower(email) LIKE :pattern ESCAPE '!')"
            + " AND (CAST(:role AS text) IS NULL OR role = :role)"
            + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
    List<UserRow> page(@Bind("pattern") String pattern, @Bind("role") String role, @Bind("limit") int limit,
                       @Bind("offset") long offset);

    @SqlQuery("SELECT count(*) FROM users WHERE deleted_at IS NULL"
            + " AND (CAST(:pattern AS text) IS NULL OR lower(username) LIKE :pattern ESCAPE '!'"
            + " OR lower(email) LIKE :pattern ESCAPE '!')"
            + " AND (CAST(:role AS text) IS NULL OR role = :role)")
    long count(@Bind("pattern") String pattern, @Bind("role") String role);
}
