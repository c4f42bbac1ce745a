package io.tribune.hls.cmaf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tribune.common.media.IngestFrame;
import io.tribune.common.media.TrackKind;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CmafTest {

    /** avcC of a 320x180 x264 High profile stream (profile 0x64, level 0x0d). */
    static final byte[] AVCC = HexFormat.of().parseHex("01640014ffe1001967640014acd94141fb0110000003001000000303c0"
            + "f14299600001000668ebe3cb22c0");
    static final byte[] ASC_48K_STEREO = {0x11, (byte) 0x90};

    static TrackFormat video() {
        return TrackFormat.of(new IngestFrame.TrackAnnounce(0, TrackKind.VIDEO, "avc1", 90_000, "180p", 320, 180,
                300_000, 30_000, AVCC));
    }

    static TrackFormat audio() {
        return TrackFormat.of(new IngestFrame.TrackAnnounce(1, TrackKind.AUDIO, "mp4a", 48_000, "main", 0, 0,
                64_000, 0, ASC_48K_STEREO));
    }

    @Test
    void codecsAttributesComeFromTheConfigurationRecords() {
        assertThat(video().codecsAttribute()).isEqualTo("avc1.640014");
        assertThat(audio().codecsAttribute()).isEqualTo("mp4a.40.2");
        assertThat(audio().channels()).isEqualTo(2);
    }

    @Test
    void initSegmentHasFtypMoovWithBothTracksAndTrex() {
        List<Boxes.Box> boxes = Boxes.parse(Cmaf.initSegment(List.of(video(), audio())));
        assertThat(boxes).extracting(Boxes.Box::type).containsExactly("ftyp", "moov");
        Boxes.Box moov = boxes.get(1);
        assertThat(moov.all("trak")).hasSize(2);
        assertThat(moov.child("mvex").all("trex")).hasSize(2);

        Boxes.Box videoTrak = moov.all("trak").get(0);
        ByteBuffer mdhd = videoTrak.path("mdia", "mdhd").payload();
        assertThat(mdhd.getInt(12)).isEqualTo(90_000);
        ByteBuffer stsd = videoTrak.path("mdia", "minf", "stbl", "stsd").payload();
        byte[] avc1 = new byte[4];
        stsd.position(12);
        stsd.get(avc1);
        assertThat(new String(avc1)).isEqualTo("avc1");
        // avc1 entry: 78 bytes of fields, then avcC verbatim.
        List<Boxes.Box> entryChildren = Boxes.parse(videoTrak.data(), videoTrak.path("mdia", "minf", "stbl", "stsd")
                .start() + 8 + 8 + 78, videoTrak.path("mdia", "minf", "stbl", "stsd").end());
        assertThat(entryChildren).extracting(Boxes.Box::type).containsExactly("avcC", "btrt");
        assertThat(entryChildren.get(0).payload().remaining()).isEqualTo(AVCC.length);

        Boxes.Box audioTrak = moov.all("trak").get(1);
        ByteBuffer hdlr = audioTrak.path("mdia", "hdlr").payload();
        assertThat(hdlr.getInt(8)).isEqualTo(0x736f756e); // 'soun'
    }

    @Test
    void fragmentPointsEachRunAtItsSamplesInMdat() {
        MediaSample v1 = new MediaSample(9000, 9000, 3000, true, 0, new byte[] {1, 1, 1});
        MediaSample v2 = new MediaSample(12000, 15000, 3000, false, 0, new byte[] {2, 2});
        MediaSample a1 = new MediaSample(4800, 4800, 1024, true, 0, new byte[] {3, 3, 3, 3});
        byte[] fragment = Cmaf.fragment(7, List.of(new Cmaf.TrackRun(1, List.of(v1, v2)),
                new Cmaf.TrackRun(2, List.of(a1))));
        List<Boxes.Box> boxes = Boxes.parse(fragment);
        assertThat(boxes).extracting(Boxes.Box::type).containsExactly("moof", "mdat");
        assertThat(boxes.get(0).child("mfhd").payload().getInt(4)).isEqualTo(7);
        List<Boxes.Run> runs = Boxes.runs(boxes.get(0));
        assertThat(runs).hasSize(2);
        Boxes.Run video = runs.get(0);
        assertThat(video.baseMediaDecodeTime()).isEqualTo(9000);
        assertThat(video.compositionOffsets()).containsExactly(0, 3000);
        assertThat(Boxes.isSync(video.flags()[0])).isTrue();
        assertThat(Boxes.isSync(video.flags()[1])).isFalse();
        // data_offset is relative to the moof's start (default-base-is-moof).
        int moofStart = boxes.get(0).start() - 8;
        assertThat(fragment[moofStart + video.dataOffset()]).isEqualTo((byte) 1);
        assertThat(fragment[moofStart + video.dataOffset() + 3]).isEqualTo((byte) 2);
        assertThat(fragment[moofStart + runs.get(1).dataOffset()]).isEqualTo((byte) 3);
        assertThat(runs.get(1).dataOffset() + 4).isEqualTo(fragment.length);
    }
}
