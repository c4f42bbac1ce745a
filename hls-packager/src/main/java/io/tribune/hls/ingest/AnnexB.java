package io.tribune.hls.ingest;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an H.264 Annex B stream (with access unit delimiters) into access units with 4-byte NAL lengths, and
 * builds the avcC from its first SPS and PPS (ISO/IEC 14496-15 5.3.3.1), as the transcoder's h264parse does. A
 * stream without an SPS and a PPS is refused (IllegalArgumentException).
 */
final class AnnexB {

    record Parsed(byte[] avcC, List<byte[]> accessUnits, List<Boolean> keyframes) {
    }

    private AnnexB() {
    }

    static Parsed parse(byte[] stream) {
        List<byte[]> nals = nals(stream);
        byte[] sps = null;
        byte[] pps = null;
        List<byte[]> units = new ArrayList<>();
        List<Boolean> keyframes = new ArrayList<>();
        ByteArrayOutputStream unit = null;
        boolean keyframe = false;
        for (byte[] nal : nals) {
            if (nal.length == 0) {
                continue; // two start codes in a row
            }
            int type = nal[0] & 0x1F;
            if (type == 9) {
                if (unit != null && unit.size() > 0) {
                    units.add(unit.toByteArray());
                    keyframes.add(keyframe);
                }
                unit = new ByteArrayOutputStream();
                keyframe = false;
                continue;
            }
            if (type == 7) {
                sps = sps == null ? nal : sps;
                continue;
            }
            if (type == 8) {
                pps = pps == null ? nal : pps;
                continue;
            }
            if (unit == null) {
                unit = new ByteArrayOutputStream();
            }
            keyframe |= type == 5;
            unit.write(nal.length >>> 24);
            unit.write(nal.length >>> 16);
            unit.write(nal.length >>> 8);
            unit.write(nal.length);
            unit.writeBytes(nal);
        }
        if (unit != null && unit.size() > 0) {
            units.add(unit.toByteArray());
            keyframes.add(keyframe);
        }
        if (sps == null || pps == null) {
            throw new IllegalArgumentException("no SPS/PPS in the stream");
        }
        if (sps.length < 4) {
            throw new IllegalArgumentException("an SPS of " + sps.length + " bytes has no profile and level");
        }
        ByteArrayOutputStream avcC = new ByteArrayOutputStream();
        avcC.write(1);
        avcC.write(sps[1]);
        avcC.write(sps[2]);
        avcC.write(sps[3]);
        avcC.write(0xFF); // 4-byte NAL lengths
        avcC.write(0xE1); // one SPS
        avcC.write(sps.length >>> 8);
        avcC.write(sps.length);
        avcC.writeBytes(sps);
        avcC.write(1);
        avcC.write(pps.length >>> 8);
        avcC.write(pps.length);
        avcC.writeBytes(pps);
        if ((sps[1] & 0xFF) == 100) {
            // High profile: chroma_format 4:2:0, 8-bit luma and chroma, no SPS extensions.
            avcC.write(0xFD);
            avcC.write(0xF8);
            avcC.write(0xF8);
            avcC.write(0);
        }
        return new Parsed(avcC.toByteArray(), units, keyframes);
    }

    private static List<byte[]> nals(byte[] s) {
        List<Integer> starts = new ArrayList<>();
        List<Integer> prefixStarts = new ArrayList<>();
        for (int i = 0; i + 2 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
                prefixStarts.add(i > 0 && s[i - 1] == 0 ? i - 1 : i);
                starts.add(i + 3);
                i += 2;
            }
        }
        List<byte[]> nals = new ArrayList<>();
        for (int n = 0; n < starts.size(); n++) {
            int from = starts.get(n);
            int to = n + 1 < starts.size() ? prefixStarts.get(n + 1) : s.length;
            byte[] nal = new byte[to - from];
            System.arraycopy(s, from, nal, 0, nal.length);
            nals.add(nal);
        }
        return nals;
    }
}
