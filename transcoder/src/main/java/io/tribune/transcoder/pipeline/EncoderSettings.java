package io.tribune.transcoder.pipeline;

/**
 * x264 and AAC settings shared by every rung. Keyframes every {@code keyframeSeconds} on the same frames of every
 * rung: all encoders see the same frames from one tee, x264's scene-cut keyframes are off and key-int-max is the
 * segment length in frames (shared/probes/llhls.md).
 *
 * @param frameRate       output frames per second
 * @param keyframeSeconds GOP length, the packager's segment target (2 s)
 * @param preset          x264 speed preset (veryfast)
 * @param tune            x264 tune (zerolatency: no lookahead, no frame threads' delay)
 * @param audioBitrate    AAC bits per second
 */
public record EncoderSettings(int frameRate, int keyframeSeconds, String preset, String tune, int audioBitrate) {

    public static final EncoderSettings DEFAULT = new EncoderSettings(30, 2, "veryfast", "zerolatency", 128_000);

    public EncoderSettings {
        if (frameRate < 1 || frameRate > 120 || keyframeSeconds < 1 || keyframeSeconds > 10) {
            throw new IllegalArgumentException("frame rate 1-120 and keyframe interval 1-10 s");
        }
        if (!preset.matches("[a-z]+") || !tune.matches("[a-z]+")) {
            throw new IllegalArgumentException("x264 preset and tune are single lowercase words");
        }
        if (audioBitrate < 16_000 || audioBitrate > 512_000) {
            throw new IllegalArgumentException("audio bitrate must be 16-512 kbps");
        }
    }

    public int gopFrames() {
        return frameRate * keyframeSeconds;
    }

    /** The x264enc element for one rung, as gst-launch syntax. */
    public String x264(Rung rung, String name) {
        return "x264enc name=" + name + " speed-preset=" + preset + " tune=" + tune + " bitrate=" + rung.bitrateKbps()
                + " key-int-max=" + gopFrames() + " bframes=0 aud=false option-string=\"scenecut=0\"";
    }
}
