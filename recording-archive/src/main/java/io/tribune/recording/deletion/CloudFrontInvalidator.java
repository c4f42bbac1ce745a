package io.tribune.recording.deletion;

import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * Invalidates paths of one CloudFront distribution (production: a deleted recording must leave the edge caches,
 * not only the bucket). Credentials from the AWS default chain. Thread-safe.
 */
public final class CloudFrontInvalidator implements RecordingDeletions.CdnInvalidator, AutoCloseable {

    private final CloudFrontClient client;
    private final String distributionId;

    public CloudFrontInvalidator(String distributionId) {
        this.distributionId = Objects.requireNonNull(distributionId);
        // CloudFront's API is global, served from us-east-1.
        this.client = CloudFrontClient.builder().region(Region.AWS_GLOBAL).build();
    }

    @Override
    public void invalidate(String pathPattern) {
        client.createInvalidation(b -> b.distributionId(distributionId).invalidationBatch(batch -> batch
                // One reference per attempt would invalidate twice on a retry; CloudFront accepts that.
                .callerReference(UUID.randomUUID().toString())
                .paths(p -> p.quantity(1).items(pathPattern))));
    }

    @Override
    public void close() {
        client.close();
    }
}
