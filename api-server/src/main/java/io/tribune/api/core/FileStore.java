package io.tribune.api.core;

import io.dropwizard.lifecycle.Managed;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.InputStream;

/**
 * The bucket that holds shared files, through the S3 API (AWS SDK v2): S3Proxy in development, AWS S3 or any
 * S3-compatible store in production; only the configuration differs. Creates the bucket at start when it is
 * missing (the embedded store starts empty). Thread-safe: the SDK client is.
 */
public final class FileStore implements Managed {

    private final S3Client s3;
    private final String bucket;

    public FileStore(FilesConfiguration configuration) {
        S3ClientBuilder builder = S3Client.builder().region(Region.of(configuration.getRegion()))
                .forcePathStyle(configuration.isPathStyle());
        if (configuration.getEndpoint() != null && !configuration.getEndpoint().toString().isEmpty()) {
            builder.endpointOverride(configuration.getEndpoint());
        }
        if (configuration.getAccessKey() != null && !configuration.getAccessKey().isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    configuration.getAccessKey(), configuration.getSecretKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        this.s3 = builder.build();
        this.bucket = configuration.getBucket();
    }

    @Override
    public void start() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Stores exactly {@code length} bytes read from {@code body}. */
    public void put(String key, String contentType, long length, InputStream body) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(length),
                RequestBody.fromInputStream(body, length));
    }

    /** The object's bytes; the caller closes the stream. */
    public ResponseInputStream<GetObjectResponse> get(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public void stop() {
        s3.close();
    }
}
