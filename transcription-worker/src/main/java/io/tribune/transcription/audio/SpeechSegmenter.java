package io.tribune.transcription.audio;

import java.util.ArrayDeque;

/**
 * An energy voice-activity detector that decides which 20 ms frames of 16 kHz mono PCM reach the recognizer, so
 * silence and muted tracks cost a few multiplications per sample and no recognizer time.
 *
 * <pre>
 *   silence ── a voiced frame ──► speech: the pre-roll (frames just before), then every frame, are fed
 *     ▲                              │ unvoiced frames: still fed (the recognizer's endpointing needs them)
 *     └── endSilence of unvoiced ────┘ then {@link Listener#pause}: the phrase is over
 * </pre>
 *
 * A frame is voiced when its energy is above {@code thresholdDbfs} and 12 dB above the track's noise floor (a slow
 * average of the unvoiced frames' energy). Positions count samples from the track's start, gaps included
 * ({@link #gap}). Not thread-safe.
 */
public final class SpeechSegmenter {

    public static final int FRAME_SAMPLES = 320;
    private static final double NOISE_MARGIN_DB = 12;

    /** Receives the frames to recognise and the ends of phrases. */
    public interface Listener {
        /** A frame to feed the recognizer, starting at sample {@code position}. */
        void frame(short[] samples, long position, boolean voiced);

        /** The speech paused for {@code endSilence}; {@code lastVoicedEnd} is where its last voiced frame ended. */
        void pause(long lastVoicedEnd);
    }

    private final double thresholdDbfs;
    private final int preRollFrames;
    private final int endSilenceFrames;
    private final ArrayDeque<short[]> preRoll = new ArrayDeque<>();
    private final short[] pending = new short[FRAME_SAMPLES];
    private int pendingCount;
    /** Sample position of the next complete frame. */
    private long position;
    private boolean inSpeech;
    private int unvoicedRun;
    private long lastVoicedEnd;
    private double noiseFloorDb = -90;
    private long skippedFrames;
    private long fedFrames;

    /**
     * @param thresholdDbfs  the least energy of a voiced frame, e.g. -45 dBFS
     * @param preRollFrames  unvoiced frames fed before the first voiced one (word onsets are quiet)
     * @param endSilenceFrames unvoiced frames after which the phrase ends
     */
    public SpeechSegmenter(double thresholdDbfs, int preRollFrames, int endSilenceFrames) {
        if (preRollFrames < 0 || endSilenceFrames < 1) {
            throw new IllegalArgumentException("preRollFrames >= 0 and endSilenceFrames >= 1 required");
        }
        this.thresholdDbfs = thresholdDbfs;
        this.preRollFrames = preRollFrames;
        this.endSilenceFrames = endSilenceFrames;
    }

    /** Takes PCM of any length; complete frames are classified at once, the rest waits for more. */
    public void accept(short[] pcm, Listener listener) {
        int offset = 0;
        while (offset < pcm.length) {
            int take = Math.min(FRAME_SAMPLES - pendingCount, pcm.length - offset);
            System.arraycopy(pcm, offset, pending, pendingCount, take);
            pendingCount += take;
            offset += take;
            if (pendingCount == FRAME_SAMPLES) {
                classify(pending.clone(), listener);
                pendingCount = 0;
            }
        }
    }

    /**
     * Missing audio (lost packets, discontinuous transmission): up to one second of it is fed as silence, so a
     * phrase still ends; the position moves by all of it.
     */
    public void gap(long samples, Listener listener) {
        if (samples <= 0) {
            return;
        }
        long fed = 0;
        long limit = Math.min(samples, 16_000);
        while (fed + FRAME_SAMPLES - pendingCount <= limit) {
            fed += FRAME_SAMPLES - pendingCount;
            accept(new short[FRAME_SAMPLES - pendingCount], listener);
        }
        if (samples > fed) {
            if (inSpeech) {
                endPhrase(listener);
            }
            // Realign to the frame grid after the jump; a partial frame is dropped with the gap.
            position += samples - fed + pendingCount;
            pendingCount = 0;
            preRoll.clear();
        }
    }

    /** The track ended: a phrase in progress ends now. */
    public void finish(Listener listener) {
        if (inSpeech) {
            endPhrase(listener);
        }
    }

    private void classify(short[] frame, Listener listener) {
        double db = energyDbfs(frame);
        boolean voiced = db > thresholdDbfs && db > noiseFloorDb + NOISE_MARGIN_DB;
        long start = position;
        position += FRAME_SAMPLES;
        if (!voiced) {
            noiseFloorDb = noiseFloorDb + 0.05 * (Math.max(db, -90) - noiseFloorDb);
        }
        if (!inSpeech) {
            if (!voiced) {
                skippedFrames++;
                preRoll.addLast(frame);
                if (preRoll.size() > preRollFrames) {
                    preRoll.removeFirst();
                }
                return;
            }
            inSpeech = true;
            long preStart = start - (long) preRoll.size() * FRAME_SAMPLES;
            for (short[] before : preRoll) {
                skippedFrames--;
                fed(listener, before, preStart, false);
                preStart += FRAME_SAMPLES;
            }
            preRoll.clear();
        }
        fed(listener, frame, start, voiced);
        if (voiced) {
            unvoicedRun = 0;
            lastVoicedEnd = start + FRAME_SAMPLES;
        } else if (++unvoicedRun >= endSilenceFrames) {
            endPhrase(listener);
        }
    }

    private void fed(Listener listener, short[] frame, long start, boolean voiced) {
        fedFrames++;
        listener.frame(frame, start, voiced);
    }

    private void endPhrase(Listener listener) {
        inSpeech = false;
        unvoicedRun = 0;
        listener.pause(lastVoicedEnd);
    }

    /** Mean energy of the frame relative to full scale, in dB (-inf for digital silence, clamped to -120). */
    static double energyDbfs(short[] frame) {
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        double meanSquare = sum / frame.length / (32768.0 * 32768.0);
        return meanSquare <= 1e-12 ? -120 : 10 * Math.log10(meanSquare);
    }

    public boolean inSpeech() {
        return inSpeech;
    }

    /** Frames never given to the recognizer. */
    public long skippedFrames() {
        return skippedFrames;
    }

    /** Frames given to the recognizer (pre-roll, speech and the silence that ends a phrase). */
    public long fedFrames() {
        return fedFrames;
    }

    /** Sample position of the next frame. */
    public long position() {
        return position + pendingCount;
    }
}
