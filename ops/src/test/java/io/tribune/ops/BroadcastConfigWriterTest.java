package io.tribune.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tribune.platform.PlatformUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BroadcastConfigWriterTest {

    @TempDir
    Path dir;

    @Test
    void theTranscoderFollowsLiveStagesOnTheEmbeddedRedisBesideTheSrtDemo() throws Exception {
        Settings settings = Settings.load(null, Map.of("TRIBUNE_DATA_DIR", dir.toString(),
                "TRIBUNE_STAGE_RTP_PORT", "30000"));
        PlatformUrls urls = new PlatformUrls("jdbc:postgresql://127.0.0.1:1/t", "u", "p", "127.0.0.1:2",
                "redis://127.0.0.1:16379", "http://127.0.0.1:3", "a", "s", "us-east-1");

        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(
                BroadcastConfigWriter.writeTranscoder(settings, urls).toFile());

        assertThat(config.path("stage").path("redis").asText()).isEqualTo("redis://127.0.0.1:16379");
        assertThat(config.path("stage").path("rtpPortBase").asInt()).isEqualTo(30000);
        assertThat(config.path("stage").path("maxTownHalls").asInt()).isEqualTo(2);
        assertThat(config.path("townHalls").path(0).path("eventId").asText()).isEqualTo("demo");
    }

    @Test
    void thePackagerServesRecordingsFromTheArchivesBucketOnTheEmbeddedS3() throws Exception {
        Settings settings = Settings.load(null, Map.of("TRIBUNE_DATA_DIR", dir.toString()));
        PlatformUrls urls = new PlatformUrls("jdbc:postgresql://127.0.0.1:1/t", "u", "p", "127.0.0.1:2",
                "redis://127.0.0.1:16379", "http://127.0.0.1:3", "a", "s", "us-east-1");

        JsonNode recordings = new ObjectMapper(new YAMLFactory()).readTree(
                BroadcastConfigWriter.writePackager(settings, urls).toFile()).path("recordings");

        assertThat(recordings.path("enabled").asBoolean()).isTrue();
        assertThat(recordings.path("bucket").asText()).isEqualTo(RecordingArchiveConfigWriter.BUCKET);
        assertThat(recordings.path("endpoint").asText()).isEqualTo("http://127.0.0.1:3");
        assertThat(recordings.path("accessKey").asText()).isEqualTo("a");
        assertThat(recordings.path("secretKey").asText()).isEqualTo("s");
        assertThat(recordings.path("pathStyle").asBoolean()).isTrue();
    }

    @Test
    void thePackagerTakesCaptionsFromTheEmbeddedKafka() throws Exception {
        Settings settings = Settings.load(null, Map.of("TRIBUNE_DATA_DIR", dir.toString()));
        PlatformUrls urls = new PlatformUrls("jdbc:postgresql://127.0.0.1:1/t", "u", "p", "127.0.0.1:2",
                "redis://127.0.0.1:16379", "http://127.0.0.1:3", "a", "s", "us-east-1");

        JsonNode kafka = new ObjectMapper(new YAMLFactory()).readTree(
                BroadcastConfigWriter.writePackager(settings, urls).toFile()).path("kafka");

        assertThat(kafka.path("bootstrapServers").asText()).isEqualTo("127.0.0.1:2");
        assertThat(kafka.path("group").asText()).isEqualTo("hls-packager-captions");
    }

    @Test
    void aLadderSpecBecomesRungsAndABadOneIsNamed() {
        assertThat(BroadcastConfigWriter.ladder("360p:640x360:600, 180p:320x180:250")).isEqualTo(List.of(
                Map.of("name", "360p", "width", 640, "height", 360, "bitrateKbps", 600),
                Map.of("name", "180p", "width", 320, "height", 180, "bitrateKbps", 250)));
        assertThatThrownBy(() -> BroadcastConfigWriter.ladder("360p:640:600")).isInstanceOf(CliException.class)
                .hasMessageContaining("TRIBUNE_LADDER: '360p:640:600'");
    }
}
