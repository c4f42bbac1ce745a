package io.tribune.hls.storage;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.hls.live.LiveEvent;
import io.tribune.hls.live.Rendition;
import io.tribune.hls.live.RenditionListener;
import io.tribune.hls.live.Segment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Copies each event to object storage as it happens, so that it can be replayed when it ends: init segments and
 * complete segments as they are finished, then, at the end, VOD media playlists (every segment, EXT-X-ENDLIST) and
 * the multivariant playlist. Keys mirror the origin's paths: {@code <prefix><event>/master.m3u8},
 * {@code <prefix><event>/<rendition>/index.m3u8}, {@code <prefix><event>/<rendition>/<run>/s<msn>.m4s}. Parts are
 * not stored: they only matter while live.
 *
 * <p>Uploads run in order on one thread, off the ingest thread, retried a few times; the queue is bounded, and a
 * segment that finds it full is lost to the replay (counted and logged), never to the live stream. The VOD
 * playlists are queued after every segment of the event, so a replay never names a missing file unless an upload
 * failed.
 *
 * <p>Thread-safe.
 */
public final class SegmentArchive implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentArchive.class);
    private static final int QUEUE_CAPACITY = 2000;
    private static final int ATTEMPTS = 3;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ExecutorService uploads;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Counter stored;
    private final Counter failed;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    public SegmentArchive(S3Client s3, String bucket, String prefix, MetricRegistry metrics) {
        this.s3 = Objects.requireNonNull(s3);
        this.bucket = Objects.requireNonNull(bucket);
        this.prefix = prefix == null ? "" : prefix;
        this.uploads = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue, r -> {
            Thread thread = new Thread(r, "hls-archive");
            thread.setDaemon(true);
            return thread;
        });
        this.stored = metrics.counter("hls.archive.objects_stored");
        this.failed = metrics.counter("hls.archive.objects_failed");
        metrics.gauge("hls.archive.backlog", () -> queue::size);
    }

    /**
     * Creates the bucket if it does not exist. Storage that is down does not stop the origin from serving live
     * events: it is logged, the health check reports it, and uploads fail (counted) until it is back.
     */
    @Override
    public void start() {
        try {
            if (!reachable()) {
                s3.createBucket(b -> b.bucket(bucket));
                LOG.info("created bucket {}", bucket);
            }
        } catch (RuntimeException e) {
            LOG.warn("object storage is unavailable at startup (bucket {}): {}", bucket, e.toString());
        }
    }

    /** Finishes the uploads queued so far (up to 30 s). */
    @Override
    public void stop() throws InterruptedException {
        uploads.shutdown();
        if (!uploads.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("{} uploads still queued at shutdown are lost to the replay", queue.size());
            uploads.shutdownNow();
        }
    }

    /** The listener an event's renditions report finished files to. */
    public RenditionListener listenerFor(String eventId) {
        return new RenditionListener() {
            @Override
            public void onInit(Rendition rendition, String fileName, byte[] bytes) {
                put(eventId + "/" + rendition.name() + "/" + rendition.runId() + "/" + fileName, bytes, "video/mp4");
            }

            @Override
            public void onSegment(Rendition rendition, Segment segment, String fileName) {
                put(eventId + "/" + rendition.name() + "/" + rendition.runId() + "/" + fileName, segment.bytes(),
                        fileName.endsWith(".vtt") ? "text/vtt" : "video/mp4");
            }
        };
    }

    /** Queues the VOD playlists of an event that has ended, after its segments. */
    public void finish(LiveEvent event) {
        for (String name : event.variantNames()) {
            put(event.eventId() + "/" + name + "/index.m3u8", utf8(event.rendition(name).vodPlaylist()),
                    PLAYLIST_TYPE);
        }
        put(event.eventId() + "/" + LiveEvent.SUBTITLES + "/index.m3u8",
                utf8(event.rendition(LiveEvent.SUBTITLES).vodPlaylist()), PLAYLIST_TYPE);
        String master = event.multivariant();
        if (master != null) {
            put(event.eventId() + "/master.m3u8", utf8(master), PLAYLIST_TYPE);
        }
    }

    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    /**
     * An object by its key below the prefix ({@code <event>/...}), or null when there is none.
     *
     * @throws S3Exception when storage fails otherwise
     */
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** Uploads waiting. */
    public int backlog() {
        return queue.size();
    }

    /** The last upload that failed for good, or null. */
    public String lastFailure() {
        return lastFailure.get();
    }

    /** True when storage answers (the bucket exists and is readable). */
    public boolean reachable() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void put(String key, byte[] bytes, String contentType) {
        try {
            uploads.execute(() -> upload(key, bytes, contentType));
        } catch (RejectedExecutionException e) {
            failed.inc();
            lastFailure.set(key + ": upload queue full");
            LOG.warn("not archived (upload queue full or stopped): {}", key);
        }
    }

    private void upload(String key, byte[] bytes, String contentType) {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(prefix + key).contentType(contentType),
                        RequestBody.fromBytes(bytes));
                stored.inc();
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    failed.inc();
                    lastFailure.set(key + ": " + e.getMessage());
                    LOG.warn("not archived after {} attempts: {}: {}", ATTEMPTS, key, e.toString());
                    return;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
