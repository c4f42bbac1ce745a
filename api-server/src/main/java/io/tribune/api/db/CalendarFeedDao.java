package io.tribune.api.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;

/** Calendar feed tokens (their HMAC to find them, sealed copies to show them). Confined to its handle. */
public interface CalendarFeedDao {

    @SqlQuery("SELECT token_sealed FROM calendar_feeds WHERE user_id = :userId")
    Optional<byte[]> findSealedToken(@Bind("userId") String userId);

    @SqlQuery("SELECT user_id FROM calendar_feeds WHERE token_digest = :digest")
    Optional<String> findUserId(@Bind("digest") byte[] digest);

    /** Creates the user's feed, unless one exists; returns whether it did. */
    @SqlUpdate("INSERT INTO calendar_feeds (user_id, token_digest, token_sealed, created_at) "
            + "VALUES (:userId, :digest, :sealed, :now) ON CONFLICT (user_id) DO NOTHING")
    boolean insertIfAbsent(@Bind("userId") String userId, @Bind("digest") byte[] digest,
                           @Bind("sealed") byte[] sealed, @Bind("now") Instant now);

    /** Creates or replaces the user's feed token; the old one stops working at commit. */
    @SqlUpdate("INSERT INTO calendar_feeds (user_id, token_digest, token_sealed, created_at) "
            + "VALUES (:userId, :digest, :sealed, :now) ON CONFLICT (user_id) DO UPDATE SET "
            + "token_digest = EXCLUDED.token_digest, token_sealed = EXCLUDED.token_sealed, "
            + "created_at = EXCLUDED.created_at")
    void upsert(@Bind("userId") String userId, @Bind("digest") byte[] digest, @Bind("sealed") byte[] sealed,
                @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM calendar_feeds WHERE user_id = :userId")
    void delete(@Bind("userId") String userId);
}
