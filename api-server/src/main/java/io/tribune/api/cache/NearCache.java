package io.tribune.api.cache;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * An in-process copy of values whose truth lives elsewhere (PostgreSQL, Redis), kept correct by
 * {@link ChangeFeed}: every committed change of a value evicts it here, on every instance. Values are only kept
 * while the feed is {@linkplain ChangeFeed#isLive() live}; without it every read goes to the source. Entries also
 * expire after {@code maxAge}, which bounds the damage of a change nobody announced.
 *
 * <p>A read that loaded from the source before a change committed must not store its stale value after the
 * change's eviction. So each read notes the generation before loading and stores only if no eviction happened
 * since, and the store and the eviction of a key exclude each other (both run under the map's per-key lock, the
 * eviction after raising the generation).
 *
 * <p>Absent values (the loader returns null) are never kept: unknown ids cost a read each, and nobody can fill
 * the cache with them. Thread-safe.
 *
 * @param <V> an immutable value
 */
public final class NearCache<V> implements ChangeListener {

    private final Cache<String, V> cache;
    private final BooleanSupplier live;
    private final AtomicLong generation = new AtomicLong();
    private final Counter hits;
    private final Counter misses;

    /**
     * @param name    the metric prefix {@code tribune.cache.<name>} (hits, misses, size)
     * @param live    whether evictions are being delivered right now
     */
    public NearCache(String name, long maxEntries, Duration maxAge, BooleanSupplier live, MetricRegistry metrics) {
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).build();
        this.live = Objects.requireNonNull(live);
        this.hits = metrics.counter(MetricRegistry.name("tribune.cache", name, "hits"));
        this.misses = metrics.counter(MetricRegistry.name("tribune.cache", name, "misses"));
        metrics.gauge(MetricRegistry.name("tribune.cache", name, "size"), () -> (Gauge<Long>) cache::estimatedSize);
    }

    /** The kept value, or the loader's (kept when it is not null and nothing changed meanwhile). */
    public V get(String key, Function<String, V> loader) {
        if (!live.getAsBoolean()) {
            misses.inc();
            return loader.apply(key);
        }
        V kept = cache.getIfPresent(key);
        if (kept != null) {
            hits.inc();
            return kept;
        }
        misses.inc();
        long before = generation.get();
        V loaded = loader.apply(key);
        if (loaded != null) {
            cache.asMap().compute(key, (k, current) -> generation.get() == before ? loaded : current);
        }
        return loaded;
    }

    /** The kept value or null; never loads. */
    public V peek(String key) {
        return live.getAsBoolean() ? cache.getIfPresent(key) : null;
    }

    /**
     * Keeps a value read from the source after {@code generationBefore} was taken, unless something changed since.
     * For callers that load several keys in one round trip.
     */
    public void offer(String key, V value, long generationBefore) {
        if (value != null && live.getAsBoolean()) {
            cache.asMap().compute(key, (k, current) -> generation.get() == generationBefore ? value : current);
        }
    }

    /** The generation to pass to {@link #offer}: take it before reading the source. */
    public long generation() {
        return generation.get();
    }

    /** Forgets one value (after a local change, or when the feed announces one). */
    public void invalidate(String key) {
        generation.incrementAndGet();
        cache.asMap().remove(key);
    }

    @Override
    public void changed(String id) {
        invalidate(id);
    }

    @Override
    public void reset() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }
}
