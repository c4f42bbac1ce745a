package io.tribune.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Run in a child JVM by {@link KilledJvmRecoveryIT}: starts the platform on the data directory given as the first
 * argument, writes one item into each part, prints {@value #READY} and waits to be killed with SIGKILL.
 */
public final class KilledJvmMain {

    static final String READY = "PLATFORM-READY";

    private KilledJvmMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPlatform platform = EmbeddedPlatform.builder().dataDir(Path.of(args[0])).build();
        platform.start();
        PlatformUrls urls = platform.urls();
        try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(), urls.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survivors (name text)");
            statement.execute("INSERT INTO survivors VALUES ('row')");
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, urls.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("survivors", "k", "record")).get(30, TimeUnit.SECONDS);
        }
        EmbeddedPlatformIT.redisCommand(platform.redis().port(), "SET survivor key");
        try (S3Client s3 = S3ComponentIT.client(platform.s3(), urls.s3AccessKey(), urls.s3SecretKey())) {
            s3.createBucket(b -> b.bucket("survivors"));
            s3.putObject(p -> p.bucket("survivors").key("object"), RequestBody.fromString("blob",
                    StandardCharsets.UTF_8));
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
}
