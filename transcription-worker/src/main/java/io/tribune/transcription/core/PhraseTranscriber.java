package io.tribune.transcription.core;

import io.tribune.transcription.audio.SpeechSegmenter;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.vosk.Recognizer;

/**
 * PCM to phrases: the {@link SpeechSegmenter} picks the frames worth recognising, a Vosk streaming recognizer turns
 * them into text. A phrase ends when Vosk's own endpointing says so (trailing silence, rules in the model's
 * {@code conf/model.conf}), when the segmenter hears a pause, at {@code maxPhraseSamples}, or at {@link #finish()}.
 * Partials go out at most every {@code partialIntervalNanos}, only when the text changed and only when
 * {@code partialsWanted} says so (the worker is not behind). Used by the worker per track and by
 * {@code tribune transcribe} for files. Owns its recognizer: {@link #close()} it. Not thread-safe.
 */
public final class PhraseTranscriber implements SpeechSegmenter.Listener, AutoCloseable {

    /** A recognised phrase; positions are 16 kHz samples from the start of the stream. */
    public record Phrase(long index, String text, boolean isFinal, long startSample, long endSample) {
    }

    /** Receives the phrases. */
    public interface PhraseListener {
        void phrase(Phrase phrase);
    }

    private final SpeechModel model;
    private final SpeechSegmenter segmenter;
    private final PhraseListener listener;
    private final BooleanSupplier partialsWanted;
    private final LongSupplier nanoTime;
    private final long partialIntervalNanos;
    private final long maxPhraseSamples;
    private Recognizer recognizer;
    /** Start of the phrase being recognised; -1 when none. */
    private long phraseStart = -1;
    private long phraseVoicedEnd;
    private long phraseIndex;
    private String lastPartial = "";
    private long lastPartialNanos;

    public PhraseTranscriber(SpeechModel model, SpeechSegmenter segmenter, PhraseListener listener,
                             BooleanSupplier partialsWanted, LongSupplier nanoTime, long partialIntervalNanos,
                             long maxPhraseSamples) {
        this.model = model;
        this.segmenter = segmenter;
        this.listener = listener;
        this.partialsWanted = partialsWanted;
        this.nanoTime = nanoTime;
        this.partialIntervalNanos = partialIntervalNanos;
        this.maxPhraseSamples = maxPhraseSamples;
    }

    /** Takes the next PCM of the stream (16 kHz mono). */
    public void accept(short[] pcm) {
        segmenter.accept(pcm, this);
    }

    /** Missing audio of {@code samples} samples. */
    public void gap(long samples) {
        segmenter.gap(samples, this);
    }

    /** The stream ended: the phrase in progress becomes final. */
    public void finish() {
        segmenter.finish(this);
        endPhrase();
    }

    @Override
    public void frame(short[] samples, long position, boolean voiced) {
        if (phraseStart < 0) {
            phraseStart = position;
            phraseVoicedEnd = position;
        }
        if (voiced) {
            phraseVoicedEnd = position + samples.length;
        }
        Recognizer vosk = recognizer();
        if (vosk.acceptWaveForm(samples, samples.length)) {
            publishFinal(SpeechModel.text(vosk.getResult(), "text"));
            return;
        }
        if (phraseVoicedEnd - phraseStart >= maxPhraseSamples) {
            endPhrase();
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastPartialNanos >= partialIntervalNanos && partialsWanted.getAsBoolean()) {
            lastPartialNanos = now;
            String partial = SpeechModel.text(vosk.getPartialResult(), "partial");
            if (!partial.isEmpty() && !partial.equals(lastPartial)) {
                lastPartial = partial;
                listener.phrase(new Phrase(phraseIndex, partial, false, phraseStart, phraseVoicedEnd));
            }
        }
    }

    @Override
    public void pause(long lastVoicedEnd) {
        endPhrase();
    }

    private void endPhrase() {
        if (phraseStart < 0 || recognizer == null) {
            phraseStart = -1;
            return;
        }
        // getFinalResult also resets the recognizer for the next phrase.
        publishFinal(SpeechModel.text(recognizer.getFinalResult(), "text"));
    }

    private void publishFinal(String text) {
        if (!text.isEmpty()) {
            listener.phrase(new Phrase(phraseIndex, text, true, phraseStart, Math.max(phraseStart, phraseVoicedEnd)));
            phraseIndex++;
        }
        phraseStart = -1;
        lastPartial = "";
    }

    private Recognizer recognizer() {
        if (recognizer == null) {
            recognizer = model.newRecognizer();
        }
        return recognizer;
    }

    public SpeechSegmenter segmenter() {
        return segmenter;
    }

    @Override
    public void close() {
        if (recognizer != null) {
            recognizer.close();
            recognizer = null;
        }
    }
}
