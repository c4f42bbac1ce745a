package io.tribune.recording;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** The {@code storage:} section: where finished track files go, through the S3 API. */
public class StorageConfiguration {

    @NotBlank
    private String bucket = "tribune-recordings";

    /** Empty: AWS S3 in {@link #region}. */
    @NotNull
    private String endpoint = "";

    @NotBlank
    private String region = "us-east-1";

    /** Empty: the AWS default credentials chain. */
    @NotNull
    private String accessKey = "";

    @NotNull
    private String secretKey = "";

    private boolean pathStyle = true;

    /** Create the bucket at start when it is missing (the embedded S3Proxy; not for production). */
    private boolean createBucket = false;

    /** S3 needs at least 5 MiB for every part but the last. */
    @NotNull
    @MinDataSize(value = 5, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
    private DataSize partSize = DataSize.mebibytes(8);

    @JsonProperty
    public String getBucket() {
        return bucket;
    }

    @JsonProperty
    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    @JsonProperty
    public String getEndpoint() {
        return endpoint;
    }

    @JsonProperty
    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint == null ? "" : endpoint;
    }

    @JsonProperty
    public String getRegion() {
        return region;
    }

    @JsonProperty
    public void setRegion(String region) {
        this.region = region;
    }

    @JsonProperty
    public String getAccessKey() {
        return accessKey;
    }

    @JsonProperty
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey == null ? "" : accessKey;
    }

    @JsonProperty
    public String getSecretKey() {
        return secretKey;
    }

    @JsonProperty
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey == null ? "" : secretKey;
    }

    @JsonProperty
    public boolean isPathStyle() {
        return pathStyle;
    }

    @JsonProperty
    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }

    @JsonProperty
    public boolean isCreateBucket() {
        return createBucket;
    }

    @JsonProperty
    public void setCreateBucket(boolean createBucket) {
        this.createBucket = createBucket;
    }

    @JsonProperty
    public DataSize getPartSize() {
        return partSize;
    }

    @JsonProperty
    public void setPartSize(DataSize partSize) {
        this.partSize = partSize;
    }
}
