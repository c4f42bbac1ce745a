package io.tribune.transcription.cli;

import io.tribune.transcription.audio.SpeechSegmenter;
import io.tribune.transcription.core.PhraseTranscriber;
import io.tribune.transcription.core.SpeechModel;
import io.tribune.transcription.core.TranscriberSettings;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Transcribes an audio or video file (WAV, MP4, WebM, Ogg, anything FFmpeg reads; any sample rate): FFmpeg decodes
 * and resamples it to 16 kHz mono, and the worker's own {@link PhraseTranscriber} (energy VAD + Vosk) makes the
 * phrases, without partials. Stateless; each call opens the file and a recognizer of its own.
 */
public final class FileTranscriber {

    /** A phrase of the file, times in milliseconds from its start. */
    public record Cue(long startMillis, long endMillis, String text) {
    }

    private final SpeechModel model;
    private final TranscriberSettings settings;

    public FileTranscriber(SpeechModel model, TranscriberSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    public List<Cue> transcribe(Path file) throws IOException {
        List<Cue> cues = new ArrayList<>();
        transcribe(file, cues::add, decoded -> {
        });
        return cues;
    }

    /**
     * The same, handing each phrase to {@code cues} as soon as it is recognised (on the calling thread), and the
     * decoded audio so far, in milliseconds, to {@code progress} after every FFmpeg frame: what transcription-worker
     * runs on a recording's stored files.
     *
     * @throws IOException when the file is missing, not readable as audio, or has no audio stream
     */
    public void transcribe(Path file, Consumer<Cue> cues, LongConsumer progress) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        long samples = 0;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        SpeechSegmenter segmenter = new SpeechSegmenter(settings.vadThresholdDbfs(),
                (int) (settings.preRoll().toMillis() / 20), (int) Math.max(1, settings.endSilence().toMillis() / 20));
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
             PhraseTranscriber phrases = new PhraseTranscriber(model, segmenter,
                     phrase -> cues.accept(new Cue(phrase.startSample() / 16, Math.max(phrase.endSample(),
                             phrase.startSample() + 320) / 16, phrase.text())),
                     () -> false, System::nanoTime, Long.MAX_VALUE, settings.maxPhrase().toMillis() * 16)) {
            grabber.setSampleRate(16_000);
            grabber.setAudioChannels(1);
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
            try {
                grabber.start();
            } catch (FFmpegFrameGrabber.Exception e) {
                throw new IOException("cannot read " + file + " as audio: " + e.getMessage(), e);
            }
            if (grabber.getAudioChannels() == 0) {
                throw new IOException(file + " has no audio stream");
            }
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples == null || frame.samples.length == 0) {
                    continue;
                }
                ShortBuffer buffer = (ShortBuffer) frame.samples[0];
                short[] pcm = new short[buffer.remaining()];
                buffer.get(pcm);
                phrases.accept(pcm);
                samples += pcm.length;
                progress.accept(samples / 16);
            }
            phrases.finish();
            grabber.stop();
        }
    }

    /** WebVTT (W3C WebVTT section 4): a header and one cue per phrase. */
    public static String webVtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        for (Cue cue : cues) {
            out.append('\n').append(time(cue.startMillis())).append(" --> ").append(time(cue.endMillis()))
                    .append('\n').append(escape(cue.text())).append('\n');
        }
        return out.toString();
    }

    static String time(long millis) {
        return String.format("%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millis % 1000);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;");
    }
}
