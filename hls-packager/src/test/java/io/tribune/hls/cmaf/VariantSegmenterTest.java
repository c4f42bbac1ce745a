package io.tribune.hls.cmaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VariantSegmenterTest {

    private final List<CutPart> parts = new ArrayList<>();
    private final VariantSegmenter segmenter = new VariantSegmenter(CmafTest.video(), CmafTest.audio(),
            Duration.ofMillis(500), Duration.ofSeconds(2), parts::add);

    /** 30 fps video with a keyframe every 2 s and 48 kHz AAC frames, interleaved by time, for {@code seconds}. */
    private void feed(double seconds, long captureBase) {
        long frames = Math.round(seconds * 30);
        long audioFrames = (long) Math.floor(seconds * 48_000 / 1024) + 2;
        int a = 0;
        for (int f = 0; f < frames; f++) {
            long dts = f * 3000L;
            while (a < audioFrames && a * 1024L * 90_000 / 48_000 <= dts) {
                segmenter.onAudio(new MediaSample(a * 1024L, a * 1024L, 1024, true, 0, new byte[] {9}));
                a++;
            }
            segmenter.onVideo(new MediaSample(dts, dts, 3000, f % 60 == 0, captureBase + f * 33_333L,
                    new byte[] {(byte) f}));
        }
        while (a < audioFrames) {
            segmenter.onAudio(new MediaSample(a * 1024L, a * 1024L, 1024, true, 0, new byte[] {9}));
            a++;
        }
    }

    @Test
    void cutsHalfSecondPartsAndTwoSecondSegmentsAtKeyframes() {
        feed(6, 1_000_000);
        segmenter.flush();

        assertThat(parts).hasSize(12);
        assertThat(parts).allSatisfy(p -> assertThat(p.durationSeconds()).isCloseTo(0.5, within()));
        for (int i = 0; i < parts.size(); i++) {
            CutPart part = parts.get(i);
            assertThat(part.startsSegment()).as("part %d starts a segment", i).isEqualTo(i % 4 == 0);
            assertThat(part.endsSegment()).as("part %d ends a segment", i).isEqualTo(i % 4 == 3);
            assertThat(part.independent()).isEqualTo(i % 4 == 0);
            List<Boxes.Run> runs = Boxes.runs(Boxes.first(Boxes.parse(part.fragment()), "moof"));
            assertThat(runs.get(0).durations()).hasSize(15);
            assertThat(runs.get(0).baseMediaDecodeTime()).isEqualTo(i * 45_000L);
            assertThat(Boxes.isSync(runs.get(0).flags()[0])).isEqualTo(part.independent());
        }
        assertThat(parts.get(4).captureTimeMicros()).isEqualTo(1_000_000 + 60 * 33_333L);
    }

    @Test
    void audioFollowsVideoWithoutGapsOrOverlaps() {
        feed(4, 0);
        segmenter.flush();
        long expectedAudioDts = 0;
        for (CutPart part : parts) {
            Boxes.Run audio = Boxes.runs(Boxes.first(Boxes.parse(part.fragment()), "moof")).get(1);
            assertThat(audio.baseMediaDecodeTime()).isEqualTo(expectedAudioDts);
            expectedAudioDts += audio.duration();
            // The part's audio ends within one AAC frame of its video.
            double videoEnd = (Boxes.runs(Boxes.first(Boxes.parse(part.fragment()), "moof")).get(0)
                    .baseMediaDecodeTime() + 45_000) / 90_000.0;
            assertThat(expectedAudioDts / 48_000.0).isCloseTo(videoEnd, org.assertj.core.data.Offset.offset(0.022));
        }
        assertThat(segmenter.droppedSamples()).isZero();
    }

    @Test
    void waitsForAudioPastThePartBeforeReleasingIt() {
        segmenter.onVideo(new MediaSample(0, 0, 3000, true, 0, new byte[1]));
        for (int f = 1; f <= 15; f++) {
            segmenter.onVideo(new MediaSample(f * 3000L, f * 3000L, 3000, false, 0, new byte[1]));
        }
        assertThat(parts).isEmpty();
        for (int a = 0; a < 24; a++) {
            segmenter.onAudio(new MediaSample(a * 1024L, a * 1024L, 1024, true, 0, new byte[1]));
        }
        assertThat(parts).hasSize(1);
    }

    @Nested
    class WhenInputMisbehaves {

        @Test
        void dropsVideoBeforeTheFirstKeyframe() {
            segmenter.onVideo(new MediaSample(0, 0, 3000, false, 0, new byte[1]));
            assertThat(segmenter.droppedSamples()).isEqualTo(1);
        }

        @Test
        void keepsLongGopsInOneSegmentButStillCutsParts() {
            // A keyframe every 3 s with a 2 s target: segments of 3 s, parts still of 0.5 s.
            for (int f = 0; f < 180; f++) {
                segmenter.onVideo(new MediaSample(f * 3000L, f * 3000L, 3000, f % 90 == 0, 0, new byte[1]));
            }
            segmenter.flush();
            assertThat(parts).hasSize(12);
            assertThat(parts.stream().filter(CutPart::startsSegment).count()).isEqualTo(2);
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
