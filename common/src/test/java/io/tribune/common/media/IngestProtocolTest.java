package io.tribune.common.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IngestProtocolTest {

    private static final byte[] AVCC = HexFormat.of().parseHex("0164001effe1001967640016acd940a02ff9610000030001"
            + "0000030032" + "0f162d96" + "01000668ebe3cb22c0");
    private static final byte[] ASC = {0x11, (byte) 0x90};

    static List<IngestFrame> conversation() {
        return List.of(
                new IngestFrame.Hello(1, "town-hall_42", "s3cr\u00e9t"),
                new IngestFrame.TrackAnnounce(0, TrackKind.VIDEO, "avc1", 90_000, "360p", 640, 360, 800_000, 30_000,
                        AVCC),
                new IngestFrame.TrackAnnounce(9, TrackKind.AUDIO, "mp4a", 48_000, "main", 0, 0, 128_000, 0, ASC),
                new IngestFrame.Sample(0, true, -3000, 0, 3000, 1_764_000_000_123_456L, new byte[] {0, 0, 0, 1, 0x65}),
                new IngestFrame.Sample(9, true, 0, 0, 1024, IngestFrame.Sample.NO_CAPTURE_TIME, new byte[0]),
                new IngestFrame.Discontinuity(),
                new IngestFrame.Sample(0, false, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFFFFFFL, -1, new byte[300]),
                new IngestFrame.End());
    }

    @Test
    void conversationSurvivesWritingAndReading() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (IngestWriter writer = new IngestWriter(bytes)) {
            for (IngestFrame frame : conversation()) {
                writer.write(frame);
            }
        }
        IngestReader reader = new IngestReader(new ByteArrayInputStream(bytes.toByteArray()));
        List<IngestFrame> read = new ArrayList<>();
        for (IngestFrame frame = reader.read(); frame != null; frame = reader.read()) {
            read.add(frame);
        }
        assertThat(read).isEqualTo(conversation());
    }

    @Test
    void sampleWireFormatIsAsDocumented() {
        byte[] wire = IngestProtocol.encode(new IngestFrame.Sample(7, true, 1, 2, 3, 4, new byte[] {(byte) 0xAB}));
        assertThat(HexFormat.of().formatHex(wire)).isEqualTo("03" + "0000001f" + "07" + "03"
                + "0000000000000001" + "0000000000000002" + "00000003" + "0000000000000004" + "ab");
    }

    @Test
    void helloStartsWithMagicAndVersion() {
        byte[] wire = IngestProtocol.encode(new IngestFrame.Hello(1, "e1", ""));
        assertThat(HexFormat.of().formatHex(wire)).isEqualTo("01" + "0000000a" + "54524249" + "0001" + "026531" + "00");
    }

    @Nested
    class WhenInputIsInvalid {

        @Test
        void refusesFramesBeforeHello() {
            byte[] wire = IngestProtocol.encode(new IngestFrame.End());
            assertThatThrownBy(() -> new IngestReader(new ByteArrayInputStream(wire)).read())
                    .isInstanceOf(IngestProtocolException.class).hasMessageContaining("first frame must be HELLO");
        }

        @Test
        void refusesAnotherVersion() {
            byte[] wire = IngestProtocol.encode(new IngestFrame.Hello(2, "e1", ""));
            assertThatThrownBy(() -> new IngestReader(new ByteArrayInputStream(wire)).read())
                    .isInstanceOf(IngestProtocolException.class).hasMessageContaining("version 2");
        }

        @Test
        void refusesEventIdsThatCouldEscapeAPath() {
            byte[] wire = IngestProtocol.encode(new IngestFrame.Hello(1, "e1", ""));
            wire[12] = '.';
            wire[13] = '.';
            assertThatThrownBy(() -> IngestProtocol.decode(1, Arrays.copyOfRange(wire, 5, wire.length)))
                    .isInstanceOf(IngestProtocolException.class).hasMessageContaining("eventId");
        }

        @Test
        void refusesTruncatedFrame() {
            byte[] wire = IngestProtocol.encode(new IngestFrame.Sample(1, false, 0, 0, 0, 5, new byte[0]));
            byte[] truncated = Arrays.copyOf(wire, wire.length - 1);
            assertThatThrownBy(() -> IngestProtocol.decode(3, Arrays.copyOfRange(truncated, 5, truncated.length)))
                    .isInstanceOf(IngestProtocolException.class).hasMessageContaining("truncated");
        }

        @Test
        void refusesStreamEndingInsideAFrame() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(IngestProtocol.encode(new IngestFrame.Hello(1, "e1", "")));
            bytes.write(new byte[] {3, 0, 0, 0, 100, 1});
            IngestReader reader = new IngestReader(new ByteArrayInputStream(bytes.toByteArray()));
            reader.read();
            assertThatThrownBy(reader::read).isInstanceOf(IngestProtocolException.class)
                    .hasMessageContaining("inside a frame");
        }

        @Test
        void refusesOversizedFrameWithoutAllocatingIt() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(IngestProtocol.encode(new IngestFrame.Hello(1, "e1", "")));
            bytes.write(new byte[] {3, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            IngestReader reader = new IngestReader(new ByteArrayInputStream(bytes.toByteArray()));
            reader.read();
            assertThatThrownBy(reader::read).isInstanceOf(IngestProtocolException.class).hasMessageContaining("exceeds");
        }

        @Test
        void refusesUnknownMandatoryTypeButSkipsOptionalOnes() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(IngestProtocol.encode(new IngestFrame.Hello(1, "e1", "")));
            bytes.write(new byte[] {(byte) 200, 0, 0, 0, 2, 9, 9});
            bytes.write(IngestProtocol.encode(new IngestFrame.End()));
            bytes.write(new byte[] {42, 0, 0, 0, 0});
            IngestReader reader = new IngestReader(new ByteArrayInputStream(bytes.toByteArray()));
            assertThat(reader.read()).isInstanceOf(IngestFrame.Hello.class);
            assertThat(reader.read()).isInstanceOf(IngestFrame.End.class);
            assertThatThrownBy(reader::read).isInstanceOf(IngestProtocolException.class)
                    .hasMessageContaining("unknown frame type 42");
        }
    }
}
