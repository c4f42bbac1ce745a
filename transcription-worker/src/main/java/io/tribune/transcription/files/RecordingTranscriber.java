package io.tribune.transcription.files;

import io.tribune.events.CaptionEvents;
import io.tribune.events.EventData;
import io.tribune.events.TranscriptionEvents;
import io.tribune.transcription.cli.FileTranscriber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Transcribes one {@code transcription.requested}: each audio file is downloaded from the archive's bucket to a
 * temporary file and run through the same {@link FileTranscriber} as {@code tribune transcribe FILE} (FFmpeg decode
 * to 16 kHz mono, energy VAD, the shared Vosk model). Every phrase goes out at once as a final caption, phrase id
 * {@code <recordingId>-<trackId>-<n>} (n from 1 in spoken order, so a redelivered request publishes the same ids
 * again and the api-server's upsert keeps one row each), times the file's {@code startedAt} plus the phrase's
 * offsets. Then one result: {@code transcript.ready} when every file was transcribed, else
 * {@code transcript.failed} naming the files that were not (the others' captions stay published).
 *
 * <p>Not thread-safe: one request at a time (the model is shared and thread-safe; recognizers are per file).
 */
public final class RecordingTranscriber {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingTranscriber.class);
    private static final long PROGRESS_LOG_MILLIS = 60_000;

    private final S3Client s3;
    private final String bucket;
    private final long maxFileBytes;
    private final FileTranscriber transcriber;
    private final String language;
    private final FileMetrics metrics;

    public RecordingTranscriber(S3Client s3, String bucket, long maxFileBytes, FileTranscriber transcriber,
                                String language, FileMetrics metrics) {
        this.s3 = Objects.requireNonNull(s3);
        this.bucket = Objects.requireNonNull(bucket);
        this.maxFileBytes = maxFileBytes;
        this.transcriber = Objects.requireNonNull(transcriber);
        this.language = language;
        this.metrics = Objects.requireNonNull(metrics);
    }

    /**
     * Transcribes every file of {@code request}, handing captions and the result to {@code publish} in order.
     * Never throws for a bad file; the result says what went wrong.
     */
    public void transcribe(TranscriptionEvents.Requested request, Consumer<EventData> publish) {
        transcribe(request, publish, () -> false);
    }

    /**
     * The same; {@code stopping} is asked after every decoded frame, and once it answers true the transcription
     * ends with a {@link CancellationException} and publishes no result (the request is redelivered later).
     */
    public void transcribe(TranscriptionEvents.Requested request, Consumer<EventData> publish,
                           BooleanSupplier stopping) {
        long started = System.nanoTime();
        int segments = 0;
        List<String> problems = new ArrayList<>();
        LOG.info("Transcribing recording {} of meeting {}: {} audio files", request.recordingId(),
                request.meetingId(), request.files().size());
        if (request.files().isEmpty()) {
            problems.add("the request names no audio file");
        }
        for (int index = 0; index < request.files().size(); index++) {
            TranscriptionEvents.AudioFile file = request.files().get(index);
            try {
                segments += transcribeFile(request, file, file.trackId() == null ? "file" + (index + 1)
                        : file.trackId(), publish, stopping);
                metrics.fileTranscribed();
            } catch (CancellationException e) {
                throw e;
            } catch (IOException | RuntimeException e) { // SdkException: S3 refused or is unreachable
                metrics.fileFailed();
                String problem = (file.objectKey() == null ? "a file without a key" : file.objectKey()) + ": "
                        + describe(e);
                problems.add(problem);
                LOG.warn("Recording {}: cannot transcribe {}", request.recordingId(), problem,
                        e instanceof IOException || e instanceof SdkException ? null : e);
            } finally {
                metrics.progressMillis(0);
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        if (problems.isEmpty()) {
            metrics.recordingTranscribed();
            LOG.info("Transcribed recording {}: {} phrases from {} files in {} s", request.recordingId(), segments,
                    request.files().size(), seconds);
            publish.accept(new CaptionEvents.TranscriptReady(request.meetingId(), request.recordingId(), null,
                    segments, language));
        } else {
            metrics.recordingFailed();
            String reason = String.join("; ", problems);
            LOG.warn("Transcription of recording {} failed after {} s ({} phrases published): {}",
                    request.recordingId(), seconds, segments, reason);
            publish.accept(new CaptionEvents.TranscriptFailed(request.meetingId(), request.recordingId(),
                    reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason));
        }
    }

    private int transcribeFile(TranscriptionEvents.Requested request, TranscriptionEvents.AudioFile file,
                               String track, Consumer<EventData> publish, BooleanSupplier stopping)
            throws IOException {
        if (file.objectKey() == null || file.objectKey().isBlank()) {
            throw new IOException("no object key");
        }
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(file.objectKey()));
        if (head.contentLength() != null && head.contentLength() > maxFileBytes) {
            throw new IOException("larger than " + maxFileBytes + " bytes (" + head.contentLength() + ")");
        }
        Path local = Files.createTempFile("tribune-transcribe-", ".audio");
        try {
            Files.delete(local); // getObject refuses to overwrite
            s3.getObject(b -> b.bucket(bucket).key(file.objectKey()), local);
            Instant base = file.startedAt() == null ? request.requestedAt() : file.startedAt();
            int[] n = {0};
            AtomicLong lastLog = new AtomicLong();
            try {
                transcriber.transcribe(local, cue -> {
                    n[0]++;
                    publish.accept(new CaptionEvents.Caption(request.meetingId(), file.participantId(),
                            file.displayName(), file.trackId(), request.recordingId() + "-" + track + "-" + n[0],
                            cue.text(), true, cue.startMillis(), cue.endMillis(),
                            base == null ? null : base.plusMillis(cue.startMillis()),
                            base == null ? null : base.plusMillis(cue.endMillis())));
                    metrics.phrasePublished();
                }, decoded -> {
                    if (stopping.getAsBoolean()) {
                        throw new CancellationException("the worker is stopping");
                    }
                    metrics.progressMillis(decoded);
                    if (decoded - lastLog.get() >= PROGRESS_LOG_MILLIS) {
                        lastLog.set(decoded);
                        LOG.info("Recording {}, track {}: {} s of audio transcribed, {} phrases",
                                request.recordingId(), track, decoded / 1000, n[0]);
                    }
                });
            } catch (IOException e) {
                // The temporary file's name means nothing to whoever reads the reason.
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                throw new IOException(message.replace(local.toString(), "the file"), e);
            }
            return n[0];
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchKeyException || e instanceof S3Exception s && s.statusCode() == 404) {
            return "no such object in the recordings bucket";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
