package io.tribune.hls.cmaf;

import io.tribune.common.media.IngestFrame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Cuts one variant (a video track plus, muxed in, the event's audio track) into CMAF parts and segments:
 *
 * <ul>
 *   <li>a new <b>segment</b> starts at a keyframe once the open one has lasted the segment target (less half a
 *       frame), so every segment starts with an IDR; segments only end at keyframes, so the transcoder must send one
 *       at least every segment target (and at the same times on every rung, so that segments align);</li>
 *   <li>a new <b>part</b> starts when the next video frame would make the open part longer than the part target,
 *       so no part exceeds PART-TARGET (rfc8216bis 4.4.4.9); a part is INDEPENDENT when it starts with a keyframe;
 *       </li>
 *   <li><b>audio</b> goes into the part in which the middle of the AAC frame falls (by pts); a part is released once
 *       an audio frame past its end has arrived, about one AAC frame (21 ms) later, or at once when two more parts
 *       are waiting behind it (audio stalled); audio that arrives for a part already released is dropped.</li>
 * </ul>
 *
 * <p>Sample durations come from the next sample's dts (no drift, no lookahead beyond one frame). Video track id is
 * 1 and audio 2 in the fragments, as in {@link #trackFormats()} order.
 *
 * <p>Not thread-safe: one ingest thread drives it.
 */
public final class VariantSegmenter {

    /** Receives each part as soon as it is complete. */
    public interface Listener {
        void onPart(CutPart part);
    }

    private static final int VIDEO_TRACK_ID = 1;
    private static final int AUDIO_TRACK_ID = 2;
    /** Parts waiting for audio before the oldest is released without it. */
    private static final int MAX_PARTS_WAITING_FOR_AUDIO = 2;

    private final Listener listener;
    private final Duration partTarget;
    private final Duration segmentTarget;
    private TrackFormat video;
    private TrackFormat audio;

    private long partTargetTicks;
    private long segmentTargetTicks;
    private long frameTicks;

    private final List<MediaSample> openPart = new ArrayList<>();
    private boolean openPartStartsSegment;
    private long segmentStartDts;
    private final Deque<Closing> closing = new ArrayDeque<>();
    private final Deque<MediaSample> audioQueue = new ArrayDeque<>();
    /** Audio ticks before which audio is late (its part was released); Long.MIN_VALUE before the first part. */
    private long audioReleasedUntil = Long.MIN_VALUE;
    private long firstVideoDts = Long.MIN_VALUE;
    private int sequenceNumber;
    private long droppedSamples;

    private record Closing(List<MediaSample> samples, long boundaryDts, boolean startsSegment, boolean endsSegment) {
    }

    public VariantSegmenter(TrackFormat video, TrackFormat audio, Duration partTarget, Duration segmentTarget,
                            Listener listener) {
        this.listener = Objects.requireNonNull(listener);
        this.partTarget = partTarget;
        this.segmentTarget = segmentTarget;
        formats(video, audio);
    }

    /** Replaces the track formats; only between timelines (after {@link #flush()}). */
    public void formats(TrackFormat video, TrackFormat audio) {
        this.video = Objects.requireNonNull(video);
        this.audio = audio;
        this.partTargetTicks = partTarget.toNanos() * video.timescale() / 1_000_000_000L;
        this.segmentTargetTicks = segmentTarget.toNanos() * video.timescale() / 1_000_000_000L;
        this.frameTicks = video.frameRateMilli() > 0 ? video.timescale() * 1000 / video.frameRateMilli()
                : video.timescale() / 30;
    }

    /** Video then, if any, audio: the tracks of this variant's init segment. */
    public List<TrackFormat> trackFormats() {
        return audio == null ? List.of(video) : List.of(video, audio);
    }

    /** Samples refused: video before the first keyframe, audio too late for its part. */
    public long droppedSamples() {
        return droppedSamples;
    }

    public void onVideo(MediaSample sample) {
        if (openPart.isEmpty()) {
            if (!sample.keyframe()) {
                droppedSamples++;
                return;
            }
            if (firstVideoDts == Long.MIN_VALUE) {
                firstVideoDts = sample.dts();
            }
            segmentStartDts = sample.dts();
            openPartStartsSegment = true;
            openPart.add(sample);
            return;
        }
        MediaSample last = openPart.get(openPart.size() - 1);
        long step = sample.dts() - last.dts();
        if (step <= 0) {
            droppedSamples++; // out of order or repeated: the transcoder's bug, not worth a broken fragment
            return;
        }
        last.duration(step);
        frameTicks = step;
        long partStart = openPart.get(0).dts();
        boolean startsSegment = sample.keyframe() && sample.dts() - segmentStartDts >= segmentTargetTicks - step / 2;
        boolean startsPart = startsSegment || sample.dts() - partStart + step > partTargetTicks;
        if (startsPart) {
            closing.add(new Closing(List.copyOf(openPart), sample.dts(), openPartStartsSegment, startsSegment));
            openPart.clear();
            openPartStartsSegment = startsSegment;
            if (startsSegment) {
                segmentStartDts = sample.dts();
            }
        }
        openPart.add(sample);
        release(false);
    }

    public void onAudio(MediaSample sample) {
        if (audio == null) {
            return;
        }
        MediaSample previous = audioQueue.peekLast();
        if (previous != null) {
            if (sample.dts() <= previous.dts()) {
                droppedSamples++;
                return;
            }
            previous.duration(sample.dts() - previous.dts());
        }
        if (sample.pts() + halfAudioFrame(sample) < audioReleasedUntil) {
            droppedSamples++;
            return;
        }
        audioQueue.add(sample);
        release(false);
    }

    /**
     * Ends the timeline: the open part is cut and its segment completed, with the audio that has arrived. The
     * next sample must be a keyframe and starts a new segment.
     */
    public void flush() {
        if (!openPart.isEmpty()) {
            MediaSample last = openPart.get(openPart.size() - 1);
            if (last.duration() <= 0) {
                last.duration(frameTicks);
            }
            closing.add(new Closing(List.copyOf(openPart), last.dts() + last.duration(), openPartStartsSegment,
                    true));
            openPart.clear();
        }
        release(true);
        audioQueue.clear();
        audioReleasedUntil = Long.MIN_VALUE;
        firstVideoDts = Long.MIN_VALUE;
    }

    private void release(boolean force) {
        while (!closing.isEmpty()) {
            Closing next = closing.peek();
            long boundary = audio == null ? 0 : toAudioTicks(next.boundaryDts());
            boolean audioComplete = audio == null || audioReaches(boundary);
            if (!audioComplete && !force && closing.size() <= MAX_PARTS_WAITING_FOR_AUDIO) {
                return;
            }
            closing.poll();
            List<Cmaf.TrackRun> runs = new ArrayList<>(2);
            runs.add(new Cmaf.TrackRun(VIDEO_TRACK_ID, next.samples()));
            if (audio != null) {
                runs.add(new Cmaf.TrackRun(AUDIO_TRACK_ID, takeAudio(boundary)));
                audioReleasedUntil = boundary;
            }
            MediaSample first = next.samples().get(0);
            double seconds = (double) (next.boundaryDts() - first.dts()) / video.timescale();
            listener.onPart(new CutPart(Cmaf.fragment(++sequenceNumber, runs), seconds, first.keyframe(),
                    next.startsSegment(), next.endsSegment(), first.captureTimeMicros(), first.pts()));
        }
    }

    /** True once an audio frame whose middle lies at or past {@code boundary} has arrived. */
    private boolean audioReaches(long boundary) {
        MediaSample newest = audioQueue.peekLast();
        return newest != null && newest.pts() + halfAudioFrame(newest) >= boundary;
    }

    private List<MediaSample> takeAudio(long boundary) {
        List<MediaSample> taken = new ArrayList<>();
        long videoStart = firstVideoDts == Long.MIN_VALUE ? Long.MIN_VALUE : toAudioTicks(firstVideoDts);
        while (!audioQueue.isEmpty()) {
            MediaSample sample = audioQueue.peek();
            long half = halfAudioFrame(sample);
            if (sample.pts() + half >= boundary) {
                break;
            }
            // The last one queued has no successor yet; only a forced release takes it, with a nominal duration.
            if (audioQueue.size() == 1 && sample.duration() <= 0) {
                sample.duration(2 * half);
            }
            audioQueue.poll();
            if (sample.pts() + 2 * half <= videoStart) {
                droppedSamples++; // before the video starts: nothing to play it with
                continue;
            }
            taken.add(sample);
        }
        return taken;
    }

    /** Half an AAC frame (1024 samples) in the audio timescale, or of the sample's own duration if known. */
    private static long halfAudioFrame(MediaSample sample) {
        return sample.duration() > 0 ? sample.duration() / 2 : 512;
    }

    private long toAudioTicks(long videoTicks) {
        return Math.floorDiv(videoTicks * audio.timescale(), video.timescale());
    }

    /** For converting ingest samples: audio frames are always sync samples. */
    public static MediaSample sample(IngestFrame.Sample frame, boolean audio) {
        return new MediaSample(frame.dts(), frame.pts(), frame.duration(), audio || frame.keyframe(),
                frame.captureTimeMicros(), frame.payload());
    }
}
