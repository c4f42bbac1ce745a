package io.tribune.transcription.files;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.tribune.transcription.core.TranscriptionMetrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics of on-demand transcription, under {@code tribune.transcription.files.}: counters {@code transcribed},
 * {@code failed} (files), {@code recordings_transcribed}, {@code recordings_failed}, {@code phrases_published},
 * {@code requests_dead_lettered}, and the gauge {@code progress_seconds}: the audio of the file being transcribed so
 * far (0 when idle). Thread-safe.
 */
public final class FileMetrics {

    public static final String PREFIX = TranscriptionMetrics.PREFIX + "files.";

    private final Counter transcribed;
    private final Counter failed;
    private final Counter recordingsTranscribed;
    private final Counter recordingsFailed;
    private final Counter phrases;
    private final Counter deadLettered;
    private final AtomicLong progressMillis = new AtomicLong();

    public FileMetrics(MetricRegistry registry) {
        transcribed = registry.counter(PREFIX + "transcribed");
        failed = registry.counter(PREFIX + "failed");
        recordingsTranscribed = registry.counter(PREFIX + "recordings_transcribed");
        recordingsFailed = registry.counter(PREFIX + "recordings_failed");
        phrases = registry.counter(PREFIX + "phrases_published");
        deadLettered = registry.counter(PREFIX + "requests_dead_lettered");
        registry.gauge(PREFIX + "progress_seconds", () -> (Gauge<Long>) () -> progressMillis.get() / 1000);
    }

    void fileTranscribed() {
        transcribed.inc();
    }

    void fileFailed() {
        failed.inc();
    }

    void recordingTranscribed() {
        recordingsTranscribed.inc();
    }

    void recordingFailed() {
        recordingsFailed.inc();
    }

    void phrasePublished() {
        phrases.inc();
    }

    void requestDeadLettered() {
        deadLettered.inc();
    }

    void progressMillis(long millis) {
        progressMillis.set(millis);
    }

    public long filesFailed() {
        return failed.getCount();
    }

    public long recordingsFailed() {
        return recordingsFailed.getCount();
    }

    public long recordingsTranscribed() {
        return recordingsTranscribed.getCount();
    }
}
