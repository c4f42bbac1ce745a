package io.tribune.transcription.audio;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Decodes the Opus packets of one track (RTP payloads, RFC 7587: one Opus packet each) to 16 kHz mono signed 16-bit
 * PCM with FFmpeg's native {@code opus} decoder at 48 kHz and libswresample; no OpusHead is needed for mono or
 * stereo. A packet FFmpeg rejects (garbage) is a {@link IllegalArgumentException} and leaves the decoder usable.
 * Owns native memory: {@link #close()} it. Not thread-safe.
 */
public final class OpusDecoder implements AutoCloseable {

    public static final int OUTPUT_RATE = 16_000;
    private static final int INPUT_RATE = 48_000;
    /** 120 ms at 16 kHz, the longest Opus packet, plus resampler slack. */
    private static final int MAX_OUT_SAMPLES = 4_096;

    private AVCodecContext context;
    private SwrContext resampler;
    private final AVPacket packet;
    private final AVFrame frame;
    private final ShortPointer out = new ShortPointer(MAX_OUT_SAMPLES);
    private final PointerPointer<ShortPointer> outPlanes = new PointerPointer<>(1);

    public OpusDecoder() {
        AVCodec codec = avcodec_find_decoder_by_name("opus");
        if (codec == null) {
            throw new IllegalStateException("FFmpeg has no opus decoder");
        }
        context = avcodec_alloc_context3(codec);
        context.sample_rate(INPUT_RATE);
        av_channel_layout_default(context.ch_layout(), 1);
        if (avcodec_open2(context, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null) < 0) {
            avcodec_free_context(context);
            throw new IllegalStateException("cannot open FFmpeg's opus decoder");
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        outPlanes.put(0, out);
    }

    /**
     * Decodes one packet; returns its PCM (usually 320 samples for 20 ms), possibly empty.
     *
     * @throws IllegalArgumentException when the payload is not a decodable Opus packet
     */
    public short[] decode(byte[] payload) {
        if (payload.length == 0) {
            return new short[0];
        }
        if (av_new_packet(packet, payload.length) < 0) {
            throw new IllegalStateException("out of memory for a packet");
        }
        try {
            packet.data().put(payload);
            int sent = avcodec_send_packet(context, packet);
            if (sent < 0 && sent != AVERROR_EAGAIN()) {
                throw new IllegalArgumentException("not an Opus packet (FFmpeg error " + sent + ")");
            }
        } finally {
            av_packet_unref(packet);
        }
        short[] result = new short[0];
        while (true) {
            int received = avcodec_receive_frame(context, frame);
            if (received == AVERROR_EAGAIN() || received == AVERROR_EOF) {
                break;
            }
            if (received < 0) {
                throw new IllegalArgumentException("Opus packet failed to decode (FFmpeg error " + received + ")");
            }
            try {
                result = append(result, resample(frame));
            } finally {
                av_frame_unref(frame);
            }
        }
        return result;
    }

    private short[] resample(AVFrame decoded) {
        if (resampler == null) {
            // Set up on the first frame: the decoder's sample format and layout are known only then.
            AVChannelLayout mono = new AVChannelLayout();
            av_channel_layout_default(mono, 1);
            SwrContext swr = swr_alloc();
            if (swr_alloc_set_opts2(swr, mono, AV_SAMPLE_FMT_S16, OUTPUT_RATE, decoded.ch_layout(), decoded.format(),
                    decoded.sample_rate(), 0, null) < 0 || swr_init(swr) < 0) {
                swr_free(swr);
                throw new IllegalStateException("cannot set up the 48 -> 16 kHz resampler");
            }
            resampler = swr;
        }
        int n = swr_convert(resampler, outPlanes, MAX_OUT_SAMPLES, decoded.extended_data(), decoded.nb_samples());
        if (n < 0) {
            throw new IllegalArgumentException("resampling failed (FFmpeg error " + n + ")");
        }
        short[] pcm = new short[n];
        out.position(0).get(pcm, 0, n);
        return pcm;
    }

    private static short[] append(short[] a, short[] b) {
        if (a.length == 0) {
            return b;
        }
        short[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    @Override
    public void close() {
        if (context != null) {
            avcodec_free_context(context);
            context = null;
        }
        if (resampler != null) {
            swr_free(resampler);
            resampler = null;
        }
        av_packet_free(packet);
        av_frame_free(frame);
        out.close();
        outPlanes.close();
    }
}
