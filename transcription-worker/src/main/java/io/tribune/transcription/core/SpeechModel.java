package io.tribune.transcription.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * The process's one Vosk model, loaded at start (0.4-0.5 s, ~70 MB for the small English model) and shared by every
 * track's recognizer: Vosk allows one Model in many threads. Recognizers are per track and not shared.
 * Thread-safe after {@link #start()}.
 */
public final class SpeechModel implements Managed, AutoCloseable {

    public static final float SAMPLE_RATE = 16_000f;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SpeechModel.class);

    private final Path path;
    private volatile Model model;

    public SpeechModel(Path path) {
        this.path = path;
    }

    /** Loads the model now (also what {@link #start()} does). */
    public static SpeechModel load(Path path) throws IOException {
        SpeechModel speech = new SpeechModel(path);
        speech.start();
        return speech;
    }

    @Override
    public synchronized void start() throws IOException {
        if (model != null) {
            return;
        }
        if (!Files.isDirectory(path.resolve("am")) || !Files.isRegularFile(path.resolve("conf/model.conf"))) {
            throw new IOException("no Vosk model at " + path + " (expected am/ and conf/model.conf)");
        }
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        long begun = System.nanoTime();
        Model loaded = new Model(path.toString());
        warmUp(loaded);
        model = loaded;
        LOG.info("Vosk model {} loaded and warmed up in {} ms", path,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
    }

    /** One short recognition, so the first phrase of the first track does not pay for Vosk's lazy setup. */
    private static void warmUp(Model loaded) throws IOException {
        try (Recognizer recognizer = new Recognizer(loaded, SAMPLE_RATE)) {
            short[] noise = new short[320];
            java.util.Random random = new java.util.Random(1);
            for (int frame = 0; frame < 50; frame++) {
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (short) (random.nextGaussian() * 2000);
                }
                recognizer.acceptWaveForm(noise, noise.length);
                recognizer.getPartialResult();
            }
            recognizer.getFinalResult();
        }
    }

    @Override
    public synchronized void stop() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isLoaded() {
        return model != null;
    }

    public Path path() {
        return path;
    }

    /** A new streaming recognizer at 16 kHz; the caller owns it (one thread, then {@code close()}). */
    public Recognizer newRecognizer() {
        Model loaded = model;
        if (loaded == null) {
            throw new IllegalStateException("the Vosk model is not loaded");
        }
        try {
            return new Recognizer(loaded, SAMPLE_RATE);
        } catch (IOException e) {
            throw new UncheckedIOException("Vosk could not create a recognizer", e);
        }
    }

    /** The text of a Vosk result ({@code {"text": ...}}) or partial ({@code {"partial": ...}}); "" when none. */
    static String text(String json, String field) {
        try {
            JsonNode node = JSON.readTree(json);
            JsonNode text = node == null ? null : node.get(field);
            return text == null ? "" : text.asText("").strip();
        } catch (IOException e) {
            return "";
        }
    }
}
