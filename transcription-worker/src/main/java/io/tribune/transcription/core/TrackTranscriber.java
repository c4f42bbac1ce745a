package io.tribune.transcription.core;

import io.tribune.events.CaptionEvents;
import io.tribune.events.MediaEvents;
import io.tribune.events.RtpRecord;
import io.tribune.transcription.audio.OpusDecoder;
import io.tribune.transcription.audio.RtpReorder;
import io.tribune.transcription.audio.SpeechSegmenter;
import java.time.Clock;
import java.time.Instant;

/**
 * One audio track's pipeline, in order:
 * <pre>
 *   RtpRecord ─► RtpReorder ─► OpusDecoder (48 kHz Opus ─► 16 kHz PCM) ─► gap fill from RTP timestamps
 *             ─► SpeechSegmenter (energy VAD) ─► Vosk recognizer ─► caption (partial / final) ─► CaptionSink
 * </pre>
 * Times: the track's timeline starts at its first packet's RTP timestamp (offsets in {@code startMillis}) and its
 * SFU arrival time (wall clock in {@code start}). A transcriber that begins mid-track ({@code midTrack}: captions
 * switched on later, or a worker that resumed the track after a restart) shifts its offsets by the time since the
 * track's {@code startedAt}, and names its phrases {@code <trackId>-<first packet's arrival, epoch ms>-<n>} instead
 * of {@code <trackId>-<n>}, so its phrase ids never repeat those of an earlier transcriber of the same track.
 * A payload that does not decode is counted and skipped. Owns native decoder and recognizer state: {@link #close()}
 * it. Not thread-safe: one consumer thread owns it.
 */
public final class TrackTranscriber implements AutoCloseable {

    private final MediaEvents.AudioTrackStarted track;
    private final CaptionSink sink;
    private final Clock clock;
    private final TranscriberSettings settings;
    private final TranscriptionMetrics metrics;
    private final RtpReorder reorder;
    private final OpusDecoder decoder = new OpusDecoder();
    private final PhraseTranscriber phrases;
    private final long clockRate;
    private final boolean midTrack;
    private long firstTimestamp = -1;
    private long wallStartMillis;
    /** Next expected sample position (16 kHz) of the decoded stream. */
    private long cursor;
    private long lastPacketArrivalMicros;
    private long lastPacketAtMillis;
    private boolean closed;

    public TrackTranscriber(MediaEvents.AudioTrackStarted track, SpeechModel model, CaptionSink sink, Clock clock,
                            TranscriberSettings settings, TranscriptionMetrics metrics) {
        this(track, false, model, sink, clock, settings, metrics);
    }

    /** @param midTrack whether the first packet it gets is not the track's first (see the class comment) */
    public TrackTranscriber(MediaEvents.AudioTrackStarted track, boolean midTrack, SpeechModel model, CaptionSink sink,
                            Clock clock, TranscriberSettings settings, TranscriptionMetrics metrics) {
        this.track = track;
        this.midTrack = midTrack;
        this.sink = sink;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.clockRate = track.clockRate() > 0 ? track.clockRate() : 48_000;
        this.reorder = new RtpReorder(settings.reorderPackets());
        this.lastPacketAtMillis = clock.millis();
        SpeechSegmenter segmenter = new SpeechSegmenter(settings.vadThresholdDbfs(),
                TranscriberSettings.frames(settings.preRoll()), TranscriberSettings.frames(settings.endSilence()));
        this.phrases = new PhraseTranscriber(model, segmenter, this::publish, this::partialsWanted, System::nanoTime,
                settings.partialInterval().toNanos(), TranscriberSettings.samples(settings.maxPhrase()));
    }

    public void onPacket(RtpRecord packet) {
        lastPacketAtMillis = clock.millis();
        lastPacketArrivalMicros = packet.arrivalMicros();
        if (firstTimestamp < 0) {
            wallStartMillis = packet.arrivalMicros() / 1000;
        }
        reorder.push(packet.sequence(), packet.timestamp(), packet.payload(), this::decode);
    }

    private void decode(RtpReorder.Packet packet) {
        if (firstTimestamp < 0) {
            firstTimestamp = packet.timestamp();
        }
        short[] pcm;
        try {
            pcm = decoder.decode(packet.payload());
        } catch (IllegalArgumentException e) {
            metrics.decodeErrors.inc();
            return;
        }
        long expected = (packet.timestamp() - firstTimestamp) * 16_000 / clockRate;
        if (expected > cursor + SpeechSegmenter.FRAME_SAMPLES / 2) {
            phrases.gap(expected - cursor);
            cursor = expected;
        }
        long skippedBefore = phrases.segmenter().skippedFrames();
        phrases.accept(pcm);
        cursor += pcm.length;
        metrics.silentFrames.inc(phrases.segmenter().skippedFrames() - skippedBefore);
    }

    /** Partials only while the worker keeps up with the SFU. */
    private boolean partialsWanted() {
        boolean wanted = clock.millis() - lastPacketArrivalMicros / 1000 <= settings.maxPartialDelay().toMillis();
        if (!wanted) {
            metrics.partialsDropped.inc();
        }
        return wanted;
    }

    private void publish(PhraseTranscriber.Phrase phrase) {
        long startMillis = phrase.startSample() / 16;
        long endMillis = phrase.endSample() / 16;
        String phraseId = track.trackId() + "-" + phrase.index();
        long shift = 0;
        if (midTrack) {
            phraseId = track.trackId() + "-" + wallStartMillis + "-" + phrase.index();
            shift = track.startedAt() == null ? 0 : Math.max(0, wallStartMillis - track.startedAt().toEpochMilli());
        }
        CaptionEvents.Caption caption = new CaptionEvents.Caption(track.meetingId(), track.participantId(),
                track.displayName(), track.trackId(), phraseId, phrase.text(), phrase.isFinal(), shift + startMillis,
                shift + endMillis, Instant.ofEpochMilli(wallStartMillis + startMillis),
                Instant.ofEpochMilli(wallStartMillis + endMillis));
        sink.publish(caption);
        (phrase.isFinal() ? metrics.finals : metrics.partials).inc();
    }

    /** Whether no packet came for {@code trackIdleTimeout}. */
    public boolean idle(long nowMillis) {
        return nowMillis - lastPacketAtMillis >= settings.trackIdleTimeout().toMillis();
    }

    public MediaEvents.AudioTrackStarted track() {
        return track;
    }

    /** Recognises what is left (the last phrase becomes final) and frees the native state. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reorder.flush(this::decode);
            phrases.finish();
        } finally {
            metrics.lostPackets.inc(reorder.lost());
            phrases.close();
            decoder.close();
        }
    }
}
