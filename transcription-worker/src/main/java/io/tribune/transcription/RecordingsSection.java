package io.tribune.transcription;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The {@code recordings:} section: transcribing stored recordings on demand ({@code transcription.requested} on
 * {@code tribune.transcriptions}), and the object store recording-archive writes their files to (the same bucket,
 * endpoint and credentials as recording-archive's {@code storage:}).
 */
public class RecordingsSection {

    /** Whether this process follows {@code tribune.transcriptions} at all. */
    private boolean enabled = true;

    /** Its own consumer group (and dead-letter topic {@code tribune.dlq.<group>}), apart from the live one. */
    @NotBlank
    @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,100}", message = "must be lower-case letters, digits, '.' or '-'")
    private String group = "transcription-worker-files";

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

    /** A stored file larger than this is refused (a failed transcription), never downloaded. */
    @NotNull
    @MinDataSize(value = 1, unit = DataSizeUnit.MEBIBYTES)
    @MaxDataSize(value = 64, unit = DataSizeUnit.GIBIBYTES)
    private DataSize maxFileSize = DataSize.gibibytes(2);

    /** The language named in {@code transcript.ready} (the model's). */
    @NotBlank
    private String language = "en";

    /** An S3 client for this section's store. */
    public S3Client s3Client() {
        S3ClientBuilder builder = S3Client.builder().region(Region.of(region)).forcePathStyle(pathStyle);
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        if (!accessKey.isEmpty()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                    secretKey)));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public String getGroup() {
        return group;
    }

    @JsonProperty
    public void setGroup(String group) {
        this.group = group;
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
    public DataSize getMaxFileSize() {
        return maxFileSize;
    }

    @JsonProperty
    public void setMaxFileSize(DataSize maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    @JsonProperty
    public String getLanguage() {
        return language;
    }

    @JsonProperty
    public void setLanguage(String language) {
        this.language = language;
    }
}
