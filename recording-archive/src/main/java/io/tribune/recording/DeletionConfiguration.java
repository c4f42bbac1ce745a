package io.tribune.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The {@code deletion:} section: deleting a recording's objects when the api-server sends {@code recording.deleted}
 * (a host's or admin's DELETE, retention, account erasure), and invalidating the CDN's copy in production.
 */
public class DeletionConfiguration {

    /** Whether this process deletes objects on {@code recording.deleted} (its own consumer group). */
    private boolean enabled = true;

    /** The consumer group; dead letters go to {@code tribune.dlq.<group>}. */
    @NotNull
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}")
    private String consumerGroup = "recording-archive-deletions";

    /** CloudFront distribution to invalidate {@code /recordings/<id>/*} in; empty: no CDN invalidation. */
    @NotNull
    @Pattern(regexp = "^$|^[A-Z0-9]{1,64}$", message = "must be a CloudFront distribution id")
    private String cloudFrontDistributionId = "";

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public String getConsumerGroup() {
        return consumerGroup;
    }

    @JsonProperty
    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    @JsonProperty
    public String getCloudFrontDistributionId() {
        return cloudFrontDistributionId;
    }

    @JsonProperty
    public void setCloudFrontDistributionId(String cloudFrontDistributionId) {
        this.cloudFrontDistributionId = cloudFrontDistributionId == null ? "" : cloudFrontDistributionId;
    }
}
