package io.tribune.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LlHlsViewerTest {

    @Test
    void asksForThePartAfterTheLastOneInTheOpenSegment() {
        String playlist = """
                #EXTM3U
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-PROGRAM-DATE-TIME:2026-11-26T21:00:00.000Z
                #EXTINF:2.000,
                r1/s7.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-26T21:00:02.000Z
                #EXT-X-PART:DURATION=0.500,URI="r1/p32.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.500,URI="r1/p33.m4s"
                #EXTINF:2.000,
                r1/s8.m4s
                #EXT-X-PART:DURATION=0.500,URI="r1/p34.m4s",INDEPENDENT=YES
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="r1/p35.m4s"
                """;
        assertThat(LlHlsViewer.nextBlockingQuery(playlist)).isEqualTo("?_HLS_msn=9&_HLS_part=1");
    }

    @Test
    void afterACompleteSegmentAsksForTheNextSegmentsFirstPart() {
        String playlist = "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:2.000,\nr1/s3.m4s\n"
                + "#EXT-X-PART:DURATION=0.500,URI=\"r1/p16.m4s\"\n#EXTINF:2.000,\nr1/s4.m4s\n";
        assertThat(LlHlsViewer.nextBlockingQuery(playlist)).isEqualTo("?_HLS_msn=5&_HLS_part=0");
    }
}
