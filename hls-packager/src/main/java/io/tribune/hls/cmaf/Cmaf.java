package io.tribune.hls.cmaf;

import io.tribune.common.media.TrackKind;
import java.util.List;

/**
 * The CMAF (fMP4) boxes the packager writes, in the subset hls.js, Safari and ffmpeg accept (see
 * shared/probes/llhls.md): an init segment ({@code ftyp} + {@code moov} with {@code mvex}) and fragments
 * ({@code moof} + {@code mdat}) with {@code tfdt} v1 and {@code trun} v1. No {@code styp}, {@code sidx} or
 * {@code edts}; a segment is its parts concatenated. Track ids are 1-based in the order the formats are given.
 * Stateless and thread-safe.
 */
public final class Cmaf {

    /** sample_depends_on = 2 (an I frame, every AAC frame). ISO/IEC 14496-12 8.8.3.1. */
    static final int SYNC_SAMPLE_FLAGS = 0x02000000;
    /** sample_depends_on = 1 and sample_is_non_sync_sample = 1. */
    static final int NON_SYNC_SAMPLE_FLAGS = 0x01010000;

    private Cmaf() {
    }

    /** {@code ftyp} + {@code moov} for these tracks, track ids 1..n. */
    public static byte[] initSegment(List<TrackFormat> tracks) {
        BoxWriter w = new BoxWriter();
        int ftyp = w.start("ftyp");
        w.fourCc("iso6").u32(0).fourCc("iso6").fourCc("cmfc").fourCc("mp41");
        w.end(ftyp);

        int moov = w.start("moov");
        int mvhd = w.startFull("mvhd", 0, 0);
        w.u32(0).u32(0).u32(1000).u32(0).u32(0x00010000).u16(0x0100).zeros(10).unityMatrix().zeros(24)
                .u32(tracks.size() + 1);
        w.end(mvhd);
        for (int i = 0; i < tracks.size(); i++) {
            trak(w, i + 1, tracks.get(i));
        }
        int mvex = w.start("mvex");
        for (int i = 0; i < tracks.size(); i++) {
            int trex = w.startFull("trex", 0, 0);
            w.u32(i + 1).u32(1).u32(0).u32(0).u32(0);
            w.end(trex);
        }
        w.end(mvex);
        w.end(moov);
        return w.toByteArray();
    }

    private static void trak(BoxWriter w, int trackId, TrackFormat track) {
        boolean video = track.kind() == TrackKind.VIDEO;
        int trak = w.start("trak");
        int tkhd = w.startFull("tkhd", 0, 3); // enabled, in movie
        w.u32(0).u32(0).u32(trackId).u32(0).u32(0).zeros(8).u16(0).u16(0).u16(video ? 0 : 0x0100).u16(0)
                .unityMatrix().u32((long) track.width() << 16).u32((long) track.height() << 16);
        w.end(tkhd);
        int mdia = w.start("mdia");
        int mdhd = w.startFull("mdhd", 0, 0);
        w.u32(0).u32(0).u32(track.timescale()).u32(0).u16(0x55C4).u16(0); // language "und"
        w.end(mdhd);
        int hdlr = w.startFull("hdlr", 0, 0);
        w.u32(0).fourCc(video ? "vide" : "soun").zeros(12).bytes((video ? "Tribune video\0" : "Tribune audio\0")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        w.end(hdlr);
        int minf = w.start("minf");
        if (video) {
            int vmhd = w.startFull("vmhd", 0, 1);
            w.u16(0).u16(0).u16(0).u16(0);
            w.end(vmhd);
        } else {
            int smhd = w.startFull("smhd", 0, 0);
            w.u16(0).u16(0);
            w.end(smhd);
        }
        int dinf = w.start("dinf");
        int dref = w.startFull("dref", 0, 0);
        w.u32(1);
        int url = w.startFull("url ", 0, 1); // media in the same file
        w.end(url);
        w.end(dref);
        w.end(dinf);
        int stbl = w.start("stbl");
        int stsd = w.startFull("stsd", 0, 0);
        w.u32(1);
        if (video) {
            avc1(w, track);
        } else {
            mp4a(w, track, trackId);
        }
        w.end(stsd);
        for (String empty : new String[] {"stts", "stsc", "stco"}) {
            int box = w.startFull(empty, 0, 0);
            w.u32(0);
            w.end(box);
        }
        int stsz = w.startFull("stsz", 0, 0);
        w.u32(0).u32(0);
        w.end(stsz);
        w.end(stbl);
        w.end(minf);
        w.end(mdia);
        w.end(trak);
    }

    private static void avc1(BoxWriter w, TrackFormat track) {
        int avc1 = w.start("avc1");
        w.zeros(6).u16(1) // reserved, data_reference_index
                .u16(0).u16(0).zeros(12) // pre_defined, reserved, pre_defined
                .u16(track.width()).u16(track.height()).u32(0x00480000).u32(0x00480000).u32(0).u16(1)
                .zeros(32) // compressorname
                .u16(0x0018).u16(0xFFFF);
        int avcC = w.start("avcC");
        w.bytes(track.codecConfig());
        w.end(avcC);
        int btrt = w.start("btrt");
        w.u32(0).u32(track.bitrate()).u32(track.bitrate());
        w.end(btrt);
        w.end(avc1);
    }

    private static void mp4a(BoxWriter w, TrackFormat track, int trackId) {
        int mp4a = w.start("mp4a");
        long rate = track.timescale() <= 0xFFFF ? track.timescale() : 0;
        w.zeros(6).u16(1).zeros(8).u16(track.channels()).u16(16).u16(0).u16(0).u32(rate << 16);
        byte[] asc = track.codecConfig();
        int esds = w.startFull("esds", 0, 0);
        // ES_Descriptor (ISO/IEC 14496-1 7.2.6.5) > DecoderConfigDescriptor > DecoderSpecificInfo, SLConfig.
        int decoderSpecific = 2 + asc.length;
        int decoderConfig = 2 + 13 + decoderSpecific;
        int sl = 3;
        w.u8(0x03).u8(3 + decoderConfig + sl).u16(trackId).u8(0);
        w.u8(0x04).u8(13 + decoderSpecific).u8(0x40).u8(0x15).u24(0).u32(track.bitrate()).u32(track.bitrate());
        w.u8(0x05).u8(asc.length).bytes(asc);
        w.u8(0x06).u8(1).u8(0x02);
        w.end(esds);
        w.end(mp4a);
    }

    /** The samples of one track within one fragment; empty lists are left out of the fragment. */
    public record TrackRun(int trackId, List<MediaSample> samples) {
    }

    /**
     * One fragment ({@code moof} + {@code mdat}): a part, or with its siblings a segment.
     *
     * @param sequenceNumber mfhd sequence number, increasing per rendition
     */
    public static byte[] fragment(int sequenceNumber, List<TrackRun> runs) {
        BoxWriter w = new BoxWriter();
        int moof = w.start("moof");
        int mfhd = w.startFull("mfhd", 0, 0);
        w.u32(sequenceNumber);
        w.end(mfhd);
        int[] dataOffsetFields = new int[runs.size()];
        long[] runBytes = new long[runs.size()];
        for (int r = 0; r < runs.size(); r++) {
            TrackRun run = runs.get(r);
            if (run.samples().isEmpty()) {
                dataOffsetFields[r] = -1;
                continue;
            }
            int traf = w.start("traf");
            int tfhd = w.startFull("tfhd", 0, 0x020000); // default-base-is-moof
            w.u32(run.trackId());
            w.end(tfhd);
            int tfdt = w.startFull("tfdt", 1, 0);
            w.u64(run.samples().get(0).dts());
            w.end(tfdt);
            // data-offset, sample duration, size, flags and composition time offset present; v1: signed offsets.
            int trun = w.startFull("trun", 1, 0x000F01);
            w.u32(run.samples().size());
            dataOffsetFields[r] = w.length();
            w.u32(0);
            for (MediaSample sample : run.samples()) {
                w.u32(sample.duration()).u32(sample.data().length)
                        .u32(sample.keyframe() ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS)
                        .u32((sample.pts() - sample.dts()) & 0xFFFFFFFFL);
                runBytes[r] += sample.data().length;
            }
            w.end(trun);
            w.end(traf);
        }
        w.end(moof);
        long offset = w.length() + 8L;
        for (int r = 0; r < runs.size(); r++) {
            if (dataOffsetFields[r] >= 0) {
                w.patchU32(dataOffsetFields[r], offset);
                offset += runBytes[r];
            }
        }
        int mdat = w.start("mdat");
        for (TrackRun run : runs) {
            for (MediaSample sample : run.samples()) {
                w.bytes(sample.data());
            }
        }
        w.end(mdat);
        return w.toByteArray();
    }
}
