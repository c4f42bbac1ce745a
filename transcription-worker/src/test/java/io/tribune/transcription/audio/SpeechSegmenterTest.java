package io.tribune.transcription.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SpeechSegmenterTest {

    /** 20 ms frames. */
    private static final int PRE_ROLL = 5;
    private static final int END_SILENCE = 10;

    private final SpeechSegmenter segmenter = new SpeechSegmenter(-45, PRE_ROLL, END_SILENCE);
    private final Recorder recorder = new Recorder();

    @Nested
    class WhenATrackIsSilent {

        @Test
        void feedsNothingForDigitalSilence() {
            segmenter.accept(new short[16_000 * 3], recorder);
            assertThat(recorder.frames).isEmpty();
            assertThat(segmenter.skippedFrames()).isEqualTo(150);
        }

        @Test
        void feedsNothingForSteadyNoiseBelowTheThreshold() {
            segmenter.accept(tone(3_000, 60, 50), recorder); // about -57 dBFS
            assertThat(recorder.frames).isEmpty();
        }

        @Test
        void ignoresSoundOnlySlightlyAboveTheTracksNoiseFloor() {
            segmenter.accept(noise(32_000, 104, 1), recorder);      // 2 s of noise at about -50 dBFS
            segmenter.accept(tone(8_000, 464, 200), recorder);      // -40 dBFS: above -45, but < floor + 12 dB
            assertThat(recorder.frames).isEmpty();
            segmenter.accept(tone(8_000, 8_000, 200), recorder);    // -15 dBFS: speech
            assertThat(recorder.frames).isNotEmpty();
        }
    }

    @Nested
    class WhenSomeoneSpeaks {

        @Test
        void feedsThePreRollTheSpeechAndTheEndingSilenceThenPauses() {
            segmenter.accept(new short[16_000], recorder);          // 1 s silence: 50 frames
            segmenter.accept(tone(8_000, 8_000, 200), recorder);    // 0.5 s "speech" at about -15 dBFS
            segmenter.accept(new short[16_000 * 2], recorder);      // 2 s silence

            assertThat(recorder.frames).hasSize(PRE_ROLL + 25 + END_SILENCE);
            assertThat(recorder.frames.get(0)).isEqualTo(16_000L - PRE_ROLL * 320);
            assertThat(recorder.voiced).containsOnly(16_000L + 0, 16_000L + 320 * 24).hasSize(2);
            assertThat(recorder.pauses).containsExactly(24_000L);
            assertThat(segmenter.inSpeech()).isFalse();
            assertThat(segmenter.skippedFrames()).isEqualTo(50 - PRE_ROLL + 100 - END_SILENCE);
        }

        @Test
        void keepsAPhraseTogetherAcrossAShortPause() {
            segmenter.accept(tone(8_000, 8_000, 200), recorder);
            segmenter.accept(new short[320 * (END_SILENCE - 2)], recorder);
            segmenter.accept(tone(8_000, 8_000, 200), recorder);
            segmenter.accept(new short[16_000], recorder);
            assertThat(recorder.pauses).hasSize(1);
        }

        @Test
        void endsThePhraseAtALongGapInTheStream() {
            segmenter.accept(tone(8_000, 8_000, 200), recorder);
            segmenter.gap(16_000 * 30, recorder);
            assertThat(recorder.pauses).containsExactly(8_000L);
            assertThat(segmenter.position()).isEqualTo(8_000L + 16_000 * 30);
            // At most a second of the gap was fed as silence.
            assertThat(recorder.frames.size()).isLessThanOrEqualTo(25 + 50);
        }

        @Test
        void endsThePhraseWhenTheTrackEnds() {
            segmenter.accept(tone(8_000, 8_000, 200), recorder);
            segmenter.finish(recorder);
            assertThat(recorder.pauses).containsExactly(8_000L);
        }

        @Test
        void acceptsPcmInPiecesThatAreNotWholeFrames() {
            short[] speech = tone(8_000, 8_000, 200);
            for (int i = 0; i < speech.length; i += 77) {
                short[] piece = java.util.Arrays.copyOfRange(speech, i, Math.min(speech.length, i + 77));
                segmenter.accept(piece, recorder);
            }
            assertThat(recorder.frames).hasSize(25);
            assertThat(recorder.frames).isSorted();
        }
    }

    @Test
    void measuresEnergyInDbfs() {
        assertThat(SpeechSegmenter.energyDbfs(new short[320])).isEqualTo(-120);
        short[] full = new short[320];
        java.util.Arrays.fill(full, Short.MAX_VALUE);
        assertThat(SpeechSegmenter.energyDbfs(full)).isBetween(-0.01, 0.0);
    }

    /** A sine of {@code samples} samples at 16 kHz. */
    private static short[] tone(int samples, int amplitude, int hertz) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) (amplitude * Math.sin(2 * Math.PI * hertz * i / 16_000.0));
        }
        return out;
    }

    private static short[] noise(int samples, int deviation, long seed) {
        java.util.Random random = new java.util.Random(seed);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, random.nextGaussian() * deviation));
        }
        return out;
    }

    private static final class Recorder implements SpeechSegmenter.Listener {
        final List<Long> frames = new ArrayList<>();
        final List<Long> voiced = new ArrayList<>();
        final List<Long> pauses = new ArrayList<>();

        @Override
        public void frame(short[] samples, long position, boolean isVoiced) {
            assertThat(samples).hasSize(SpeechSegmenter.FRAME_SAMPLES);
            frames.add(position);
            if (isVoiced && (voiced.isEmpty() || voiced.size() == 1)) {
                voiced.add(position);
            } else if (isVoiced) {
                voiced.set(1, position);
            }
        }

        @Override
        public void pause(long lastVoicedEnd) {
            pauses.add(lastVoicedEnd);
        }
    }
}
