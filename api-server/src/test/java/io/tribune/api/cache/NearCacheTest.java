package io.tribune.api.cache;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NearCacheTest {

    private final AtomicBoolean live = new AtomicBoolean(true);
    private final MetricRegistry metrics = new MetricRegistry();
    private final NearCache<String> cache = new NearCache<>("test", 100, Duration.ofMinutes(1), live::get, metrics);
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        loads.incrementAndGet();
        return key + "#" + loads.get();
    }

    @Test
    void servesTheLoadedValueAgainWithoutLoading() {
        assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#1");
        assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#1");
        assertThat(loads).hasValue(1);
        assertThat(metrics.counter("tribune.cache.test.hits").getCount()).isEqualTo(1);
        assertThat(metrics.counter("tribune.cache.test.misses").getCount()).isEqualTo(1);
    }

    @Test
    void loadsAgainAfterAChangeOfThatKeyOnly() {
        cache.get("a", NearCacheTest.this::load);
        cache.get("b", NearCacheTest.this::load);
        cache.changed("a");
        assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#3");
        assertThat(cache.get("b", NearCacheTest.this::load)).isEqualTo("b#2");
    }

    @Test
    void forgetsEverythingOnReset() {
        cache.get("a", NearCacheTest.this::load);
        cache.reset();
        assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#2");
    }

    @Test
    void neverKeepsAbsentValues() {
        assertThat(cache.get("missing", key -> {
            loads.incrementAndGet();
            return null;
        })).isNull();
        assertThat(cache.get("missing", NearCacheTest.this::load)).isEqualTo("missing#2");
    }

    @Nested
    class WhenAChangeArrivesWhileLoading {

        @Test
        void doesNotKeepTheValueReadBeforeTheChange() {
            String stale = cache.get("a", key -> {
                cache.changed("a"); // committed and announced while this read was in flight
                return "stale";
            });
            assertThat(stale).isEqualTo("stale");
            assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#1");
        }

        @Test
        void doesNotKeepAnOfferedValueEither() {
            long before = cache.generation();
            cache.changed("other");
            cache.offer("a", "stale", before);
            assertThat(cache.peek("a")).isNull();
            cache.offer("a", "fresh", cache.generation());
            assertThat(cache.peek("a")).isEqualTo("fresh");
        }
    }

    @Nested
    class WhenTheFeedIsNotLive {

        @Test
        void readsTheSourceEveryTimeAndKeepsNothing() {
            live.set(false);
            assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#1");
            assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#2");
            cache.offer("b", "value", cache.generation());
            live.set(true);
            assertThat(cache.peek("b")).isNull();
            assertThat(cache.get("a", NearCacheTest.this::load)).isEqualTo("a#3");
        }
    }

    @Test
    void feedDispatchesPayloadsByKindAndIgnoresGarbage() {
        ChangeFeed feed = new ChangeFeed(() -> {
            throw new java.sql.SQLException("not used");
        });
        feed.subscribe(ChangeKind.MEETING, cache);
        cache.get("m1", NearCacheTest.this::load);
        cache.get("m2", NearCacheTest.this::load);
        feed.dispatch("user:m1");
        feed.dispatch("nonsense");
        feed.dispatch(":m1");
        feed.dispatch(null);
        assertThat(cache.peek("m1")).isEqualTo("m1#1");
        feed.dispatch("meeting:m1");
        assertThat(cache.peek("m1")).isNull();
        assertThat(cache.peek("m2")).isEqualTo("m2#2");
    }
}
