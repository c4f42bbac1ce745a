package io.tribune.api.resources;

import com.codahale.metrics.Counter;
import com.nimbusds.jwt.SignedJWT;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tribune.api.ApiClient;
import io.tribune.api.ApiClient.Answer;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.TestApps;
import io.tribune.api.resources.MeetingTestSupport.Account;
import io.tribune.platform.PlatformExtension;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory copies of meetings and token state stay correct when another instance changes the truth: such an
 * instance is played here by writing PostgreSQL (and Redis) directly, as its transactions would, so only the
 * triggers and the change feed can tell this app. The feed also survives losing its connection.
 */
@ExtendWith(PlatformExtension.class)
class CachedReadsIT {

    /** What "within milliseconds" must mean even on a busy two-core test machine. */
    private static final Duration PROPAGATION = Duration.ofSeconds(2);

    @RegisterExtension
    static final DropwizardAppExtension<ApiServerConfiguration> APP =
            TestApps.onPlatform(ApiServerApplication.class);

    static RedissonClient redis;

    MeetingTestSupport support;
    ApiClient api;

    @BeforeAll
    static void connectRedis() {
        redis = TestApps.redis();
    }

    @AfterAll
    static void disconnectRedis() {
        redis.shutdown();
    }

    @BeforeEach
    void newClient() {
        api = ApiClient.local(APP.getLocalPort());
        support = new MeetingTestSupport(api);
    }

    private static Jdbi jdbi() {
        return APP.<ApiServerApplication>getApplication().jdbi();
    }

    private static Counter counter(String name) {
        return APP.getEnvironment().metrics().counter(name);
    }

    @Test
    void servesRepeatedReadsFromMemoryAndSeesAnotherInstancesEditWithinTwoSeconds() {
        Account host = support.member();
        String id = support.create(host).path("meeting_id").asText();
        assertThat(title(host, id)).isEqualTo("Team sync");
        long hits = counter("tribune.cache.meetings.hits").getCount();
        assertThat(title(host, id)).isEqualTo("Team sync");
        assertThat(counter("tribune.cache.meetings.hits").getCount()).isGreaterThan(hits);

        jdbi().useHandle(handle -> handle.createUpdate("UPDATE meetings SET title = 'Edited elsewhere' WHERE id = :id")
                .bind("id", id).execute());

        assertThat(within(PROPAGATION, () -> title(host, id), "Edited elsewhere")).isTrue();
    }

    @Test
    void refusesATokenWithinTwoSecondsOfAnotherInstanceRevokingItsSession() throws Exception {
        Account member = support.member();
        String path = "/api/v1/users/" + member.id();
        assertThat(api.get(path, member.token()).status()).isEqualTo(200);
        assertThat(api.get(path, member.token()).status()).isEqualTo(200); // state now kept in memory

        String sessionId = SignedJWT.parse(member.token()).getJWTClaimsSet().getStringClaim("sid");
        // What Sessions.logout does on the other instance: the row, and Redis inside the same transaction.
        jdbi().useTransaction(handle -> {
            handle.createUpdate("UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE id = :id")
                    .bind("id", UUID.fromString(sessionId)).execute();
            redis.getBucket("tribune:auth:session:" + sessionId, StringCodec.INSTANCE).set("revoked");
        });

        assertThat(within(PROPAGATION, () -> Integer.toString(api.get(path, member.token()).status()), "401"))
                .isTrue();
    }

    @Test
    void keepsServingCorrectlyAfterTheFeedLosesItsConnection() {
        Account host = support.member();
        String id = support.create(host).path("meeting_id").asText();
        assertThat(title(host, id)).isEqualTo("Team sync");

        int killed = jdbi().withHandle(handle -> handle.createQuery("SELECT count(pg_terminate_backend(pid)) "
                + "FROM pg_stat_activity WHERE application_name = 'api-server change feed'").mapTo(Integer.class).one());
        assertThat(killed).isEqualTo(1);
        jdbi().useHandle(handle -> handle.createUpdate("UPDATE meetings SET title = 'While deaf' WHERE id = :id")
                .bind("id", id).execute());
        assertThat(within(PROPAGATION, () -> title(host, id), "While deaf")).isTrue();

        // Back to listening (it retries every second): reads are kept again, and changes still arrive.
        long hits = counter("tribune.cache.meetings.hits").getCount();
        assertThat(within(Duration.ofSeconds(10), () -> {
            title(host, id);
            return Boolean.toString(counter("tribune.cache.meetings.hits").getCount() > hits);
        }, "true")).isTrue();
        jdbi().useHandle(handle -> handle.createUpdate("UPDATE meetings SET title = 'Heard again' WHERE id = :id")
                .bind("id", id).execute());
        assertThat(within(PROPAGATION, () -> title(host, id), "Heard again")).isTrue();
    }

    private String title(Account account, String meetingId) {
        Answer answer = api.get("/api/v1/meetings/" + meetingId, account.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().path("title").asText();
    }

    /** Whether {@code probe} returns {@code expected} before {@code timeout} runs out. */
    private static boolean within(Duration timeout, Supplier<String> probe, String expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (expected.equals(probe.get())) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }
}
