package io.tribune.recording.mux;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes one track's coded frames into a WebM (VP8, Opus) or Matroska (H.264) file through FFmpeg's muxers, without
 * decoding: each frame becomes a hand-built {@code AVPacket} with its time from the RTP timestamp (in units of the
 * clock rate, counted from the track's first frame) and the codec parameters come from the stream itself (VP8
 * dimensions from the first key frame, H.264 SPS/PPS as {@code avcC}, Opus an {@code OpusHead}).
 *
 * <p>Not thread-safe; owns native memory until {@link #close()}.
 */
public final class TrackFileWriter implements AutoCloseable {

    private final Path file;
    private final TrackCodec codec;
    private final AVRational clock;
    private AVFormatContext context;
    private AVStream stream;
    private AVPacket packet;
    private long firstTimestamp = -1;
    private long lastPts = -1;
    private long frames;
    private boolean finished;

    /**
     * Opens the file and writes its header.
     *
     * @param extradata codec private data: {@code avcC} for H.264, {@code OpusHead} for Opus, null for VP8
     * @param width     video width in pixels (0 for audio or when unknown)
     * @param channels  audio channels (Opus in WebRTC: 2)
     */
    public TrackFileWriter(Path file, TrackCodec codec, int clockRate, byte[] extradata, int width, int height,
                           int channels) throws IOException {
        this.file = file;
        this.codec = codec;
        this.clock = av_make_q(1, clockRate);
        boolean ok = false;
        try {
            context = new AVFormatContext(null);
            check(avformat_alloc_output_context2(context, null, codec.format(), file.toString()), "output context");
            stream = avformat_new_stream(context, null);
            if (stream == null) {
                throw new IOException("FFmpeg could not add a stream");
            }
            AVCodecParameters parameters = stream.codecpar();
            switch (codec) {
                case VP8 -> parameters.codec_id(AV_CODEC_ID_VP8);
                case H264 -> parameters.codec_id(AV_CODEC_ID_H264);
                case OPUS -> parameters.codec_id(AV_CODEC_ID_OPUS);
                default -> throw new IllegalArgumentException(codec.name());
            }
            if (codec.isVideo()) {
                parameters.codec_type(AVMEDIA_TYPE_VIDEO);
                parameters.width(width);
                parameters.height(height);
            } else {
                parameters.codec_type(AVMEDIA_TYPE_AUDIO);
                parameters.sample_rate(clockRate);
                av_channel_layout_default(parameters.ch_layout(), channels);
            }
            if (extradata != null && extradata.length > 0) {
                BytePointer data = new BytePointer(av_malloc(extradata.length + AV_INPUT_BUFFER_PADDING_SIZE));
                data.capacity(extradata.length + AV_INPUT_BUFFER_PADDING_SIZE);
                data.fill(0);
                data.put(extradata, 0, extradata.length);
                parameters.extradata(data);
                parameters.extradata_size(extradata.length);
            }
            stream.time_base(clock);
            AVIOContext io = new AVIOContext(null);
            check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "open " + file);
            context.pb(io);
            check(avformat_write_header(context, (AVDictionary) null), "write header");
            packet = av_packet_alloc();
            ok = true;
        } finally {
            if (!ok) {
                release();
            }
        }
    }

    /** Writes one frame; timestamps must not go backwards (a frame that would is skipped and false returned). */
    public boolean write(long rtpTimestamp, boolean keyframe, byte[] data) throws IOException {
        if (finished) {
            throw new IllegalStateException("writer closed");
        }
        if (firstTimestamp < 0) {
            firstTimestamp = rtpTimestamp;
        }
        long pts = rtpTimestamp - firstTimestamp;
        if (pts < lastPts || (pts == lastPts && codec.isVideo())) {
            return false;
        }
        check(av_new_packet(packet, data.length), "allocate packet");
        packet.data().put(data, 0, data.length);
        packet.stream_index(0);
        packet.pts(pts);
        packet.dts(pts);
        packet.flags(keyframe ? AV_PKT_FLAG_KEY : 0);
        av_packet_rescale_ts(packet, clock, stream.time_base());
        int result = av_write_frame(context, packet);
        org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(packet);
        check(result, "write frame");
        lastPts = pts;
        frames++;
        return true;
    }

    /** Frames written. */
    public long frames() {
        return frames;
    }

    /** Duration covered from the first frame to the last, in RTP clock units. */
    public long spanTicks() {
        return Math.max(0, lastPts);
    }

    public Path file() {
        return file;
    }

    /** Writes the trailer (cues, duration) and closes the file. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            check(av_write_trailer(context), "write trailer");
        } finally {
            release();
        }
    }

    /** Closes without the trailer when {@link #finish()} was not called (the file is then incomplete). */
    @Override
    public void close() {
        finished = true;
        release();
    }

    private void release() {
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (context != null) {
            if (context.pb() != null && !context.pb().isNull()) {
                avio_closep(context.pb());
            }
            avformat_free_context(context);
            context = null;
        }
    }

    private static void check(int result, String what) throws IOException {
        if (result < 0) {
            BytePointer message = new BytePointer(256);
            av_strerror(result, message, 256);
            String text = message.getString();
            int end = text.indexOf('\0');
            throw new IOException("FFmpeg: " + what + " failed: " + (end < 0 ? text : text.substring(0, end)).trim()
                    + " (" + result + ")");
        }
    }
}
