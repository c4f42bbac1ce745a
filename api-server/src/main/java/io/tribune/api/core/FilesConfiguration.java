package io.tribune.api.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code files:} section: files shared in meetings. The bytes go to a bucket through the S3 API (AWS S3 in
 * production, the embedded S3Proxy in development); without a {@code bucket} file sharing is off. Mutable only
 * while the configuration is being read.
 */
public class FilesConfiguration {

    /** Largest file a participant may share. */
    @NotNull
    @MinDataSize(1)
    @MaxDataSize(value = 2, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
    private DataSize maxSize = DataSize.mebibytes(25);

    /** Media types a participant may share (exact matches, lower case); anything else is refused with 415. */
    @NotNull
    @Size(min = 1, max = 200)
    private List<@Pattern(regexp = "^[a-z0-9.+-]+/[a-z0-9.+-]+$", message = "must be a media type like text/plain")
            String> allowedTypes = new ArrayList<>(List.of("application/pdf", "text/plain", "text/csv",
            "text/markdown", "image/png", "image/jpeg", "image/gif", "image/webp", "application/zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation"));

    /** How long an upload link and a download link stay valid. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @MaxDuration(value = 7, unit = TimeUnit.DAYS)
    private Duration linkLifetime = Duration.hours(1);

    /** The bucket files go to; empty turns file sharing off. */
    private String bucket = "";

    /** S3 API endpoint (e.g. {@code http://127.0.0.1:9000} for S3Proxy); empty means AWS S3 in {@code region}. */
    private URI endpoint;

    @NotNull
    private String region = "us-east-1";

    /** Access key pair; empty means the AWS default credentials chain (instance profile, environment). */
    private String accessKey = "";
    private String secretKey = "";

    /** Path-style requests ({@code endpoint/bucket/key}), needed by S3Proxy and most S3-compatible stores. */
    private boolean pathStyle = true;

    @JsonIgnore
    public boolean enabled() {
        return bucket != null && !bucket.isBlank();
    }

    @JsonProperty
    public DataSize getMaxSize() {
        return maxSize;
    }

    @JsonProperty
    public void setMaxSize(DataSize maxSize) {
        this.maxSize = maxSize;
    }

    @JsonProperty
    public List<String> getAllowedTypes() {
        return allowedTypes;
    }

    @JsonProperty
    public void setAllowedTypes(List<String> allowedTypes) {
        this.allowedTypes = allowedTypes;
    }

    @JsonProperty
    public Duration getLinkLifetime() {
        return linkLifetime;
    }

    @JsonProperty
    public void setLinkLifetime(Duration linkLifetime) {
        this.linkLifetime = linkLifetime;
    }

    @JsonProperty
    public String getBucket() {
        return bucket;
    }

    @JsonProperty
    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    @JsonProperty
    public URI getEndpoint() {
        return endpoint;
    }

    @JsonProperty
    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
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
        this.accessKey = accessKey;
    }

    @JsonProperty
    public String getSecretKey() {
        return secretKey;
    }

    @JsonProperty
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    @JsonProperty
    public boolean isPathStyle() {
        return pathStyle;
    }

    @JsonProperty
    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }
}
