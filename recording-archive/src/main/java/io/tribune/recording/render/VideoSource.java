package io.tribune.recording.render;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * One video track file being read along the recording's timeline: {@link #advance(long)} decodes up to a time and
 * keeps the latest picture (BGR, copied out of the grabber), {@link #scaled(int, int)} gives it at a tile's size
 * through swscale (cached until the next picture or size). Not thread-safe; owns native memory until
 * {@link #close()}.
 */
final class VideoSource implements AutoCloseable {

    /** A track's last picture stays up this long after its end (its frame duration). */
    private static final long FRAME_SLACK_MILLIS = 100;

    final RenderTrack track;
    private final FFmpegFrameGrabber grabber;
    private Frame pending;
    private long pendingAt;
    private boolean ended;
    /** The current picture: BGR24 rows of {@code stride} bytes, or no picture yet ({@code width} 0). */
    private ByteBuffer picture;
    private int width;
    private int height;
    private int stride;
    private long pictureAt = Long.MIN_VALUE;
    private long pictureNumber;
    private BufferedImage scaled;
    private long scaledNumber = -1;
    private SwsContext sws;
    private BytePointer scaledNative;
    private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(1);
    private final PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(1);
    private final IntPointer srcStride = new IntPointer(1);
    private final IntPointer dstStride = new IntPointer(1);

    VideoSource(RenderTrack track, int threads) throws Exception {
        this.track = track;
        grabber = new FFmpegFrameGrabber(track.file().toFile());
        grabber.setPixelFormat(AV_PIX_FMT_BGR24);
        if (threads > 0) {
            grabber.setVideoOption("threads", Integer.toString(threads));
        }
        grabber.start();
        readNext();
    }

    /** Takes every picture due by {@code atMillis} (recording time); the last of them becomes current. */
    void advance(long atMillis) throws Exception {
        while (pending != null && pendingAt <= atMillis) {
            keep(pending, pendingAt);
            readNext();
        }
    }

    /**
     * True when the track runs at {@code atMillis} and its last picture came at most {@code staleMillis} before
     * (a camera that sent nothing for longer is muted: its tile shows the placeholder).
     */
    boolean showing(long atMillis, long staleMillis) {
        if (width == 0 || atMillis >= track.endMillis() + FRAME_SLACK_MILLIS) {
            return false;
        }
        return atMillis - pictureAt <= staleMillis || ended && atMillis < track.endMillis();
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The current picture scaled to {@code w} x {@code h} (even sizes), as a BGR image. */
    BufferedImage scaled(int w, int h) {
        if (scaled == null || scaled.getWidth() != w || scaled.getHeight() != h) {
            scaled = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            if (scaledNative != null) {
                scaledNative.deallocate();
            }
            scaledNative = new BytePointer((long) w * h * 3);
            scaledNumber = -1;
        }
        if (scaledNumber == pictureNumber) {
            return scaled;
        }
        sws = sws_getCachedContext(sws, width, height, AV_PIX_FMT_BGR24, w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("swscale cannot scale " + width + "x" + height + " to " + w + "x" + h);
        }
        srcPlanes.put(0, new BytePointer(picture));
        srcStride.put(0, stride);
        dstPlanes.put(0, scaledNative);
        dstStride.put(0, w * 3);
        sws_scale(sws, srcPlanes, srcStride, 0, height, dstPlanes, dstStride);
        byte[] pixels = ((DataBufferByte) scaled.getRaster().getDataBuffer()).getData();
        scaledNative.position(0).get(pixels, 0, w * h * 3);
        scaledNumber = pictureNumber;
        return scaled;
    }

    private void readNext() throws Exception {
        if (ended) {
            pending = null;
            return;
        }
        Frame frame = grabber.grabImage();
        if (frame == null || frame.image == null) {
            ended = true;
            pending = null;
            return;
        }
        pending = frame;
        pendingAt = track.startMillis() + frame.timestamp / 1000;
    }

    private void keep(Frame frame, long at) {
        ByteBuffer source = (ByteBuffer) frame.image[0];
        int bytes = frame.imageStride * frame.imageHeight;
        if (picture == null || picture.capacity() < bytes) {
            picture = ByteBuffer.allocateDirect(bytes);
        }
        ByteBuffer view = source.duplicate();
        view.position(0).limit(bytes);
        picture.clear();
        picture.put(view);
        picture.flip();
        width = frame.imageWidth;
        height = frame.imageHeight;
        stride = frame.imageStride;
        pictureAt = at;
        pictureNumber++;
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (Exception e) {
            // closing a reader: nothing to save
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (scaledNative != null) {
            scaledNative.deallocate();
        }
        srcPlanes.deallocate();
        dstPlanes.deallocate();
        srcStride.deallocate();
        dstStride.deallocate();
    }
}
