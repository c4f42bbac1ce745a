package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ComponentIT {

    @TempDir
    Path dataDir;

    @Test
    void storesObjectsThatSurviveRestart() throws Exception {
        try (S3Component s3 = new S3Component(dataDir, 0)) {
            s3.start();
            assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:" + s3.port());
            assertThat(s3.version()).isEqualTo("S3Proxy 4.1.0");
            try (S3Client client = client(s3, s3.accessKey(), s3.secretKey())) {
                client.createBucket(b -> b.bucket("recordings"));
                client.putObject(p -> p.bucket("recordings").key("m-1/audio.opus"),
                        RequestBody.fromString("opus bytes", StandardCharsets.UTF_8));
                assertThat(client.getObjectAsBytes(g -> g.bucket("recordings").key("m-1/audio.opus")).asUtf8String())
                        .isEqualTo("opus bytes");
            }

            s3.stop();
            s3.start();

            try (S3Client client = client(s3, s3.accessKey(), s3.secretKey())) {
                assertThat(client.getObjectAsBytes(g -> g.bucket("recordings").key("m-1/audio.opus")).asUtf8String())
                        .isEqualTo("opus bytes");
            }
        }
        assertThat(dataDir.resolve("s3/recordings")).isDirectory();
    }

    @Test
    void rejectsRequestsSignedWithWrongSecret() throws Exception {
        try (S3Component s3 = new S3Component(dataDir, 0);
             S3Client client = client(started(s3), s3.accessKey(), "not-the-secret")) {
            assertThatThrownBy(() -> client.listBuckets())
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    private static S3Component started(S3Component s3) throws Exception {
        s3.start();
        return s3;
    }

    static S3Client client(S3Component s3, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .build();
    }
}
