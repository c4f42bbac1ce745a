package io.tribune.hls.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.IngestProtocolException;
import io.tribune.hls.testing.PlaylistText;
import io.tribune.hls.testing.WebVttText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LiveEventTest {

    /** The playlists below are written out for 0.5 s parts and 2 s segments. */
    private static final LiveSettings HALF_SECOND_PARTS = new LiveSettings(Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofMillis(1500), 6, 20);

    private final List<String> stored = new ArrayList<>();
    private final LiveEvent event = new LiveEvent("ev1", "r1", HALF_SECOND_PARTS,
            Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC), new RenditionListener() {
                @Override
                public void onInit(Rendition rendition, String fileName, byte[] bytes) {
                    stored.add(rendition.name() + "/" + fileName);
                }

                @Override
                public void onSegment(Rendition rendition, Segment segment, String fileName) {
                    stored.add(rendition.name() + "/" + fileName);
                }
            }, "en");

    private void feed(List<IngestFrame> frames) throws IngestProtocolException {
        for (IngestFrame frame : frames) {
            event.accept(frame);
        }
    }

    @Test
    void multivariantListsEveryRungHighestFirstWithSubtitles() throws IngestProtocolException {
        feed(SyntheticStream.tracks());
        assertThat(event.multivariant()).as("no part published yet").isNull();
        feed(SyntheticStream.samples(0, 0.6));
        assertThat(event.multivariant()).as("parts but no complete segment yet").isNull();
        feed(SyntheticStream.samples(0.6, 2.1));
        assertThat(event.multivariant()).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="en",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,\
                FORCED=NO,URI="subs/index.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=864000,AVERAGE-BANDWIDTH=864000,CODECS="avc1.640014,mp4a.40.2",\
                RESOLUTION=640x360,FRAME-RATE=30.000,SUBTITLES="subs"
                360p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=364000,AVERAGE-BANDWIDTH=364000,CODECS="avc1.640014,mp4a.40.2",\
                RESOLUTION=320x180,FRAME-RATE=30.000,SUBTITLES="subs"
                180p/index.m3u8
                """);
    }

    @Test
    void mediaPlaylistCarriesTheLowLatencyTags() throws IngestProtocolException {
        feed(SyntheticStream.tracks());
        feed(SyntheticStream.samples(0, 5.1));
        Rendition top = event.rendition("360p");
        String playlist = top.playlist(event.reportsExcept("360p"));
        assertThat(playlist).startsWith("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500
                #EXT-X-PART-INF:PART-TARGET=0.500
                #EXT-X-MEDIA-SEQUENCE:1
                #EXT-X-MAP:URI="r1/init0.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:06:40.000Z
                #EXT-X-PART:DURATION=0.500,URI="r1/p0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.500,URI="r1/p1.m4s"
                """);
        assertThat(playlist).contains("""
                #EXT-X-PART:DURATION=0.500,URI="r1/p3.m4s"
                #EXTINF:2.000,
                r1/s1.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:06:42.000Z
                """);
        assertThat(playlist).endsWith("""
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:06:44.000Z
                #EXT-X-PART:DURATION=0.500,URI="r1/p8.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.500,URI="r1/p9.m4s"
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="r1/p10.m4s"
                #EXT-X-RENDITION-REPORT:URI="../180p/index.m3u8",LAST-MSN=3,LAST-PART=1
                """);
        assertThat(top.file("p9.m4s")).isNotNull();
        assertThat(top.file("p10.m4s")).isNull();
        assertThat(top.file("s2.m4s")).isNotNull();
        assertThat(top.file("s3.m4s")).isNull();
        assertThat(stored).contains("360p/init0.mp4", "180p/init0.mp4", "360p/s1.m4s", "360p/s2.m4s",
                "subs/s1.vtt", "subs/s2.vtt");
        assertThat(event.rendition(LiveEvent.SUBTITLES).playlist(List.of())).contains("#EXTINF:2.000,\nr1/s2.vtt\n");
    }

    @Nested
    class WhatAPlayerIsGivenFirst {

        @Test
        void everyPlaylistNumbersItsSegmentsFromOne() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 2.1));
            assertThat(event.multivariant()).as("every rung lists a complete segment").isNotNull();
            // hls.js 1.4 asks for a blocking reload only while the last complete segment's number is not 0: with a
            // first segment numbered 0 it polled plainly, got a CDN's older copy and stalled at the start.
            for (String name : List.of("360p", "180p", LiveEvent.SUBTITLES)) {
                PlaylistText.Media playlist = PlaylistText.media(event.rendition(name).playlist(List.of()));
                assertThat(playlist.mediaSequence()).as("%s MEDIA-SEQUENCE", name).isEqualTo(Rendition.FIRST_MSN)
                        .isPositive();
                assertThat(playlist.segments()).as("%s complete segments", name).hasSize(1);
                assertThat(playlist.segments().get(0).msn()).as("%s last complete segment", name).isPositive();
            }
            assertThat(event.rendition("360p").vodPlaylist()).contains("#EXT-X-MEDIA-SEQUENCE:1\n");
        }

        @Test
        void theSubtitlesPlaylistIsListableOnlyOnceTheTopRungListsASegment() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 1.1));
            Rendition subtitles = event.rendition(LiveEvent.SUBTITLES);
            assertThat(subtitles.listable()).as("no video segment complete yet").isFalse();
            feed(SyntheticStream.samples(1.1, 2.1));
            assertThat(subtitles.listable()).isTrue();
        }

        @Test
        void theSubtitlesMirrorTheTopRungSegmentForSegmentAcrossADiscontinuity() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 6.1));
            event.connectionLost();
            feed(SyntheticStream.samples(0, 4.1));
            PlaylistText.Media video = PlaylistText.media(event.rendition("360p").playlist(List.of()));
            PlaylistText.Media subs = PlaylistText.media(event.rendition(LiveEvent.SUBTITLES).playlist(List.of()));
            assertThat(subs.mediaSequence()).isEqualTo(video.mediaSequence());
            assertThat(subs.targetDuration()).isEqualTo(video.targetDuration());
            // s1-s3, the 0.1 s cut short by the lost connection (s4), then s5 and s6 of the new timeline.
            assertThat(subs.segments()).hasSameSizeAs(video.segments()).hasSize(6);
            for (int i = 0; i < video.segments().size(); i++) {
                PlaylistText.SegmentEntry v = video.segments().get(i);
                PlaylistText.SegmentEntry t = subs.segments().get(i);
                assertThat(t.msn()).isEqualTo(v.msn());
                assertThat(t.duration()).as("EXTINF of s%d", v.msn()).isEqualTo(v.duration());
                assertThat(t.programDateTime()).as("PDT of s%d", v.msn()).isEqualTo(v.programDateTime());
                assertThat(t.discontinuity()).as("DISCONTINUITY before s%d", v.msn()).isEqualTo(v.discontinuity());
                assertThat(t.uri()).isEqualTo(v.uri().replace(".m4s", ".vtt"));
            }
            assertThat(subs.segments().get(4).discontinuity()).isTrue();
        }
    }

    @Nested
    class Captions {

        private final Instant start = Instant.EPOCH.plusNanos(SyntheticStream.CAPTURE_BASE_MICROS * 1000);

        private SubtitleCues.Cue cue(String id, double from, double to) {
            return new SubtitleCues.Cue(id, "Ada", "phrase " + id, start.plusMillis(Math.round(from * 1000)),
                    start.plusMillis(Math.round(to * 1000)));
        }

        private WebVttText subtitleSegment(long msn) {
            byte[] bytes = event.rendition(LiveEvent.SUBTITLES).file("s" + msn + ".vtt");
            assertThat(bytes).as("subs/s%d.vtt", msn).isNotNull();
            return WebVttText.parse(bytes);
        }

        @Test
        void subtitleSegmentsCarryTheCuesOnTheVideoTimeline() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            event.captions().offer(cue("first", 0.4, 1.1));
            event.captions().offer(cue("second", 2.5, 3.0));
            feed(SyntheticStream.samples(0, 2.1));
            WebVttText s0 = subtitleSegment(1);
            assertThat(s0.mpegTs()).isZero();
            assertThat(s0.cues()).extracting(WebVttText.Cue::id).containsExactly("first");
            assertThat(s0.mediaSeconds(s0.cue("first").startMillis())).isEqualTo(0.4);
            assertThat(s0.cue("first").text()).isEqualTo("<v Ada>phrase first");

            event.captions().offer(cue("late", 1.5, 1.9));
            feed(SyntheticStream.samples(2.1, 4.1));
            WebVttText s1 = subtitleSegment(2);
            assertThat(s1.mpegTs()).as("the segment starts at 2 s of pts").isEqualTo(180_000);
            assertThat(s1.cues()).extracting(WebVttText.Cue::id).containsExactly("late", "second");
            assertThat(s1.mediaSeconds(s1.cue("late").startMillis())).isEqualTo(1.5);
            assertThat(s1.mediaSeconds(s1.cue("second").startMillis())).isEqualTo(2.5);
            assertThat(s1.mediaSeconds(s1.cue("second").endMillis())).isEqualTo(3.0);
        }
    }

    @Nested
    class BlockingReload {

        @Test
        void answersWhenTheRequestedPartIsPublished() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 1.1));
            Rendition top = event.rendition("360p");
            CompletableFuture<Void> part2 = top.awaitPlaylist(new BlockingRequest(1, 2));
            CompletableFuture<Void> segment0 = top.awaitPlaylist(new BlockingRequest(1, -1));
            CompletableFuture<Void> hint = top.awaitPart(top.nextPartNumber());
            assertThat(part2).isNotDone();
            assertThat(hint).isNotDone();
            feed(SyntheticStream.samples(1.1, 1.6));
            assertThat(part2).isDone();
            assertThat(hint).isDone();
            assertThat(segment0).isNotDone();
            assertThat(top.playlist(List.of())).contains("URI=\"r1/p2.m4s\"");
            feed(SyntheticStream.samples(1.6, 2.1));
            assertThat(segment0).isDone();
        }

        @Test
        void treatsAPartPastTheLastOfACompleteSegmentAsTheNextSegmentsFirst() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 2.05));
            Rendition top = event.rendition("360p");
            // Segment 0 has parts 0-3 and is complete; part 4 of it means part 0 of segment 1.
            assertThat(top.awaitPlaylist(new BlockingRequest(1, 4))).isNotDone();
            feed(SyntheticStream.samples(2.05, 2.6));
            assertThat(top.awaitPlaylist(new BlockingRequest(1, 4))).isDone();
        }

        @Test
        void subtitlesWaitForWholeSegmentsWhateverPartIsAskedFor() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 1.1));
            Rendition subtitles = event.rendition(LiveEvent.SUBTITLES);
            CompletableFuture<Void> segment0 = subtitles.awaitPlaylist(new BlockingRequest(1, 3));
            assertThat(segment0).isNotDone();
            feed(SyntheticStream.samples(1.1, 2.1));
            assertThat(segment0).isDone();
        }

        @Test
        void refusesRequestsTooFarAhead() throws IngestProtocolException {
            feed(SyntheticStream.tracks());
            feed(SyntheticStream.samples(0, 2.6));
            Rendition top = event.rendition("360p");
            top.checkLimits(new BlockingRequest(3, -1));
            assertThatThrownBy(() -> top.checkLimits(new BlockingRequest(4, -1)))
                    .isInstanceOf(IllegalArgumentException.class);
            top.checkLimits(new BlockingRequest(2, 6));
            assertThatThrownBy(() -> top.checkLimits(new BlockingRequest(2, 7)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 parts");
            assertThatThrownBy(() -> BlockingRequest.parse(null, "1")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> BlockingRequest.parse("-1", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> BlockingRequest.parse("1x", null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aNewTimelineIsADiscontinuityAndTheEndAnEndlist() throws IngestProtocolException {
        feed(SyntheticStream.tracks());
        feed(SyntheticStream.samples(0, 2.5));
        event.connectionLost();
        // The transcoder restarts: its clock starts again at zero.
        feed(SyntheticStream.samples(0, 2.1));
        event.accept(new IngestFrame.End());
        Rendition top = event.rendition("360p");
        String playlist = top.playlist(List.of());
        assertThat(playlist).contains("#EXTINF:0.500,\nr1/s2.m4s\n#EXT-X-DISCONTINUITY\n");
        assertThat(playlist).endsWith("r1/s4.m4s\n#EXT-X-ENDLIST\n");
        assertThat(top.awaitPlaylist(new BlockingRequest(9, 0))).isDone();
        assertThat(top.vodPlaylist()).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-DISCONTINUITY",
                "r1/s1.m4s", "r1/s4.m4s", "#EXT-X-ENDLIST");
        assertThatThrownBy(() -> event.accept(new IngestFrame.Discontinuity()))
                .isInstanceOf(IngestProtocolException.class);
    }
}
