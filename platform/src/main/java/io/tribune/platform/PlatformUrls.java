package io.tribune.platform;

/**
 * Where the services find each part of the platform: the embedded one's loopback address or the external one given to
 * {@link EmbeddedPlatform.Builder}. Immutable.
 *
 * @param jdbcUrl        e.g. {@code jdbc:postgresql://127.0.0.1:5432/tribune}
 * @param dbUser         database user
 * @param dbPassword     database password (the embedded PostgreSQL trusts loopback clients and ignores it)
 * @param kafkaBootstrap Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param redisUri       e.g. {@code redis://127.0.0.1:6379}
 * @param s3Endpoint     e.g. {@code http://127.0.0.1:9000}; clients must use path-style requests
 * @param s3AccessKey    S3 access key id
 * @param s3SecretKey    S3 secret access key
 * @param s3Region       S3 region, {@code us-east-1} for the embedded S3
 */
public record PlatformUrls(String jdbcUrl, String dbUser, String dbPassword, String kafkaBootstrap,
                           String redisUri, String s3Endpoint, String s3AccessKey, String s3SecretKey,
                           String s3Region) {

    /** Leaves the two secrets out, so that the record can be logged. */
    @Override
    public String toString() {
        return "PlatformUrls[jdbcUrl=" + jdbcUrl + ", dbUser=" + dbUser + ", kafkaBootstrap=" + kafkaBootstrap
                + ", redisUri=" + redisUri + ", s3Endpoint=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey
                + ", s3Region=" + s3Region + "]";
    }
}
