package io.tribune.hls.origin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RecordingResourceTest {

    @Nested
    class ObjectKeys {

        @Test
        void mapsTheArchivesPathsToTheirKeys() {
            assertThat(RecordingResource.objectKey("r_1-A", "view/recording.mp4"))
                    .isEqualTo("recordings/r_1-A/view/recording.mp4");
            assertThat(RecordingResource.objectKey("r1", "tracks/t1.webm")).isEqualTo("recordings/r1/tracks/t1.webm");
        }

        @Test
        void refusesTraversalOddCharactersAndDepth() {
            for (String file : new String[] {"../r2/view/recording.mp4", "view/../../r2/x", "view/./x", "view//x",
                "view/", "/view/x", ".hidden", "view/a b", "view/a%2fb", "view\\x", "a/b/c/d/e", "view/x\u0000"}) {
                assertThat(RecordingResource.objectKey("r1", file)).as(file).isNull();
            }
            for (String id : new String[] {"", "..", "r1/..", "r.1", "r 1", "x".repeat(129)}) {
                assertThat(RecordingResource.objectKey(id, "view/recording.mp4")).as(id).isNull();
            }
        }
    }

    @Nested
    class Ranges {

        @Test
        void readsTheSingleRangeFormsOfRfc9110() {
            assertThat(RecordingResource.parseRange("bytes=0-99", 1000)).isEqualTo(
                    new RecordingResource.ByteRange(0, 99));
            assertThat(RecordingResource.parseRange("bytes=900-", 1000)).isEqualTo(
                    new RecordingResource.ByteRange(900, 999));
            assertThat(RecordingResource.parseRange("bytes=-100", 1000)).isEqualTo(
                    new RecordingResource.ByteRange(900, 999));
            assertThat(RecordingResource.parseRange("bytes=-5000", 1000)).isEqualTo(
                    new RecordingResource.ByteRange(0, 999));
            assertThat(RecordingResource.parseRange("bytes=990-5000", 1000)).isEqualTo(
                    new RecordingResource.ByteRange(990, 999));
        }

        @Test
        void unsatisfiableRangesAre416AndUnsupportedOnesServeTheWholeObject() {
            assertThat(RecordingResource.parseRange("bytes=1000-", 1000)).isSameAs(RecordingResource.UNSATISFIABLE);
            assertThat(RecordingResource.parseRange("bytes=-0", 1000)).isSameAs(RecordingResource.UNSATISFIABLE);
            assertThat(RecordingResource.parseRange("bytes=0-0", 0)).isSameAs(RecordingResource.UNSATISFIABLE);
            for (String header : new String[] {null, "bytes=5-1", "bytes=0-1,5-9", "items=0-1", "bytes=-", "bytes=a-b",
                "bytes=99999999999999999999-"}) {
                assertThat(RecordingResource.parseRange(header, 1000)).as(String.valueOf(header)).isNull();
            }
        }
    }

    @Test
    void contentTypesComeFromTheNameBeforeWhatWasStored() {
        assertThat(RecordingResource.contentType("recordings/r/view/recording.mp4", "binary/octet-stream"))
                .isEqualTo("video/mp4");
        assertThat(RecordingResource.contentType("recordings/r/view/thumbnails.vtt", null)).isEqualTo("text/vtt");
        assertThat(RecordingResource.contentType("recordings/r/x.bin", "application/x-thing"))
                .isEqualTo("application/x-thing");
        assertThat(RecordingResource.contentType("recordings/r/x", null)).isEqualTo("application/octet-stream");
    }
}
