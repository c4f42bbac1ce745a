package io.tribune.recording.deletion;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tribune.common.kafka.ConsumerSettings;
import io.tribune.common.kafka.EventConsumer;
import io.tribune.common.kafka.ProcessedEvents;
import io.tribune.events.Topics;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Follows {@code tribune.recordings} in a consumer group of its own and hands {@code recording.deleted} to
 * {@link RecordingDeletions}: separate from the media consumer, so deleting never waits behind open tracks and a
 * failing deletion never holds the media back. Deletion is idempotent, so no processed-event table is kept.
 */
public final class DeletionConsumer implements Managed {

    private final EventConsumer consumer;
    private final CloudFrontInvalidator cloudFront;

    /**
     * @param cloudFrontDistributionId empty: no CDN invalidation (the origin's short cache lifetime bounds it)
     */
    public DeletionConsumer(String bootstrapServers, String group, S3Client s3, String bucket,
                            String cloudFrontDistributionId, MetricRegistry metrics) {
        this.cloudFront = cloudFrontDistributionId.isEmpty() ? null
                : new CloudFrontInvalidator(cloudFrontDistributionId);
        RecordingDeletions deletions = new RecordingDeletions(s3, bucket,
                cloudFront == null ? RecordingDeletions.CdnInvalidator.NONE : cloudFront, metrics);
        this.consumer = EventConsumer.create(ConsumerSettings.of(bootstrapServers, group, List.of(Topics.RECORDINGS)),
                deletions, ProcessedEvents.NONE, metrics);
    }

    public EventConsumer consumer() {
        return consumer;
    }

    @Override
    public void start() {
        consumer.start();
    }

    @Override
    public void stop() {
        consumer.close();
        if (cloudFront != null) {
            cloudFront.close();
        }
    }
}
