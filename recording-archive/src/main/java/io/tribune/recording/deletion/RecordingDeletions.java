package io.tribune.recording.deletion;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.tribune.common.kafka.EventHandler;
import io.tribune.common.kafka.PoisonEventException;
import io.tribune.events.Event;
import io.tribune.events.RecordingEvents;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes a recording's objects when the api-server sends {@code recording.deleted}: the keys the event names and
 * everything else under {@code recordings/<id>/} (files written after the catalogue last heard, renders, thumbnails),
 * then, where configured, invalidates the CDN's copy. Idempotent: objects already gone are no error, so a
 * redelivered event (or the api-server's second event for files that arrived after the deletion) is harmless.
 *
 * <p>Only keys under the recording's own prefix are ever deleted: an event naming another key is dead-lettered.
 * Other events on {@code tribune.recordings} are ignored. Thread-safe.
 */
public final class RecordingDeletions implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingDeletions.class);
    private static final Pattern RECORDING_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** S3 DeleteObjects takes at most 1,000 keys. */
    private static final int DELETE_BATCH = 1000;

    /** Invalidates a CDN path pattern (CloudFront in production); thread-safe. */
    @FunctionalInterface
    public interface CdnInvalidator {
        CdnInvalidator NONE = path -> {
        };

        void invalidate(String pathPattern) throws Exception;
    }

    private final S3Client s3;
    private final String bucket;
    private final CdnInvalidator cdn;
    private final Counter recordingsDeleted;
    private final Counter objectsDeleted;
    private final Counter invalidations;

    public RecordingDeletions(S3Client s3, String bucket, CdnInvalidator cdn, MetricRegistry metrics) {
        this.s3 = Objects.requireNonNull(s3);
        this.bucket = Objects.requireNonNull(bucket);
        this.cdn = Objects.requireNonNull(cdn);
        this.recordingsDeleted = metrics.counter("archive.deletions.recordings");
        this.objectsDeleted = metrics.counter("archive.deletions.objects");
        this.invalidations = metrics.counter("archive.deletions.cdn_invalidations");
    }

    @Override
    public void handle(Event event) throws Exception {
        if (!(event.data() instanceof RecordingEvents.Deleted deleted)) {
            return;
        }
        if (deleted.recordingId() == null || !RECORDING_ID.matcher(deleted.recordingId()).matches()) {
            throw new PoisonEventException("recording.deleted with an unsafe recording id");
        }
        String prefix = RecordingEvents.Deleted.prefixOf(deleted.recordingId());
        Set<String> keys = new LinkedHashSet<>();
        for (String key : deleted.objectKeys()) {
            if (key == null || !key.startsWith(prefix) || key.contains("..")) {
                throw new PoisonEventException("recording.deleted of " + deleted.recordingId()
                        + " names a key outside " + prefix + ": " + key);
            }
            keys.add(key);
        }
        int removed = delete(new ArrayList<>(keys));
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                    .continuationToken(continuation));
            removed += delete(page.contents().stream().map(S3Object::key).toList());
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        cdn.invalidate("/" + prefix + "*");
        if (cdn != CdnInvalidator.NONE) {
            invalidations.inc();
        }
        recordingsDeleted.inc();
        LOG.info("deleted recording {} ({}): {} objects", deleted.recordingId(), deleted.reason(), removed);
    }

    private int delete(List<String> keys) {
        int removed = 0;
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            // Keys that do not exist count as deleted in S3: a retry is harmless.
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                    .delete(Delete.builder().objects(batch).quiet(true).build()));
            if (!response.errors().isEmpty()) {
                throw new IllegalStateException("object storage refused to delete " + response.errors().size()
                        + " objects, e.g. " + response.errors().get(0).key() + ": "
                        + response.errors().get(0).message());
            }
            removed += batch.size();
            objectsDeleted.inc(batch.size());
        }
        return removed;
    }
}
