package io.tribune.recording.render;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

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
 * keeps the latest picture (YUV 4:2:0, copied out of the grabber), {@link #scaled(int, int)} gives it at a tile's
 * size through swscale (cached until the next picture or size). Not thread-safe; owns native memory until
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
    /** The current picture's planes (native, for swscale), or no picture yet ({@code width} 0). */
    private final BytePointer[] planes = new BytePointer[3];
    private int width;
    private int height;
    private long pictureAt = Long.MIN_VALUE;
    private long pictureNumber;
    private YuvCanvas.Image scaled;
    private final BytePointer[] scaledPlanes = new BytePointer[3];
    private long scaledNumber = -1;
    private SwsContext sws;
    private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(3);
    private final PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(3);
    private final IntPointer srcStride = new IntPointer(3);
    private final IntPointer dstStride = new IntPointer(3);

    VideoSource(RenderTrack track, int threads) throws Exception {
        this.track = track;
        grabber = new FFmpegFrameGrabber(track.file().toFile());
        grabber.setPixelFormat(AV_PIX_FMT_YUV420P);
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

    /** The current picture scaled to {@code w} x {@code h} (even sizes). */
    YuvCanvas.Image scaled(int w, int h) {
        if (scaled == null || scaled.width() != w || scaled.height() != h) {
            scaled = YuvCanvas.Image.allocate(w, h);
            free(scaledPlanes);
            scaledPlanes[0] = new BytePointer((long) w * h);
            scaledPlanes[1] = new BytePointer((long) w / 2 * (h / 2));
            scaledPlanes[2] = new BytePointer((long) w / 2 * (h / 2));
            scaledNumber = -1;
        }
        if (scaledNumber == pictureNumber) {
            return scaled;
        }
        sws = sws_getCachedContext(sws, width, height, AV_PIX_FMT_YUV420P, w, h, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("swscale cannot scale " + width + "x" + height + " to " + w + "x" + h);
        }
        int chromaWidth = (width + 1) / 2;
        for (int i = 0; i < 3; i++) {
            srcPlanes.put(i, planes[i]);
            dstPlanes.put(i, scaledPlanes[i]);
        }
        srcStride.put(0, width).put(1, chromaWidth).put(2, chromaWidth);
        dstStride.put(0, w).put(1, w / 2).put(2, w / 2);
        sws_scale(sws, srcPlanes, srcStride, 0, height, dstPlanes, dstStride);
        scaledPlanes[0].position(0).get(scaled.y());
        scaledPlanes[1].position(0).get(scaled.u());
        scaledPlanes[2].position(0).get(scaled.v());
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

    /** Copies the grabber's picture (YUV420P, planes one after the other at alignment 1) into our planes. */
    private void keep(Frame frame, long at) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        if (w != width || h != height || planes[0] == null) {
            free(planes);
            planes[0] = new BytePointer((long) w * h);
            planes[1] = new BytePointer((long) cw * ch);
            planes[2] = new BytePointer((long) cw * ch);
        }
        ByteBuffer source = ((ByteBuffer) frame.image[0]).duplicate();
        int lumaStride = frame.imageStride > 0 ? frame.imageStride : w;
        copyPlane(source, 0, lumaStride, w, h, planes[0]);
        int chromaStart = lumaStride * h;
        copyPlane(source, chromaStart, cw, cw, ch, planes[1]);
        copyPlane(source, chromaStart + cw * ch, cw, cw, ch, planes[2]);
        width = w;
        height = h;
        pictureAt = at;
        pictureNumber++;
    }

    private static void copyPlane(ByteBuffer source, int offset, int stride, int w, int h, BytePointer target) {
        ByteBuffer out = target.position(0).capacity((long) w * h).asBuffer();
        if (stride == w) {
            ByteBuffer view = source.duplicate();
            view.limit(offset + w * h).position(offset);
            out.put(view);
            return;
        }
        for (int row = 0; row < h; row++) {
            ByteBuffer view = source.duplicate();
            view.limit(offset + row * stride + w).position(offset + row * stride);
            out.put(view);
        }
    }

    private static void free(BytePointer[] pointers) {
        for (int i = 0; i < pointers.length; i++) {
            if (pointers[i] != null) {
                pointers[i].deallocate();
                pointers[i] = null;
            }
        }
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
        free(planes);
        free(scaledPlanes);
        srcPlanes.deallocate();
        dstPlanes.deallocate();
        srcStride.deallocate();
        dstStride.deallocate();
    }
}
