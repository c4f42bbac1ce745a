package io.tribune.hls.cmaf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A small ISO BMFF reader for tests: the box tree of a file, and the fields the tests look at. */
public final class Boxes {

    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex",
            "moof", "traf");

    /** One box: its type, where its payload starts and ends in {@code data}, and its children if a container. */
    public record Box(String type, byte[] data, int start, int end, List<Box> children) {

        public ByteBuffer payload() {
            return ByteBuffer.wrap(data, start, end - start).slice();
        }

        public Box child(String childType) {
            for (Box child : children) {
                if (child.type().equals(childType)) {
                    return child;
                }
            }
            throw new AssertionError("no " + childType + " in " + type);
        }

        public List<Box> all(String childType) {
            return children.stream().filter(b -> b.type().equals(childType)).toList();
        }

        public Box path(String... types) {
            Box box = this;
            for (String t : types) {
                box = box.child(t);
            }
            return box;
        }
    }

    /** A fragment's track run: its decode time and per-sample fields. */
    public record Run(int trackId, long baseMediaDecodeTime, int dataOffset, long[] durations, int[] sizes,
                      int[] flags, int[] compositionOffsets) {

        public long duration() {
            long total = 0;
            for (long d : durations) {
                total += d;
            }
            return total;
        }
    }

    private Boxes() {
    }

    public static List<Box> parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    static List<Box> parse(byte[] data, int from, int to) {
        List<Box> boxes = new ArrayList<>();
        int offset = from;
        while (offset < to) {
            if (to - offset < 8) {
                throw new AssertionError("truncated box header at " + offset);
            }
            ByteBuffer header = ByteBuffer.wrap(data, offset, 8);
            long size = Integer.toUnsignedLong(header.getInt());
            String type = new String(data, offset + 4, 4, StandardCharsets.US_ASCII);
            if (size < 8 || offset + size > to) {
                throw new AssertionError(type + " box size " + size + " does not fit at " + offset);
            }
            int end = (int) (offset + size);
            List<Box> children = CONTAINERS.contains(type) ? parse(data, offset + 8, end) : List.of();
            boxes.add(new Box(type, data, offset + 8, end, children));
            offset = end;
        }
        return boxes;
    }

    public static Box first(List<Box> boxes, String type) {
        return boxes.stream().filter(b -> b.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type));
    }

    /** Every traf of a moof as a Run. */
    public static List<Run> runs(Box moof) {
        List<Run> runs = new ArrayList<>();
        for (Box traf : moof.all("traf")) {
            ByteBuffer tfhd = traf.child("tfhd").payload();
            tfhd.getInt();
            int trackId = tfhd.getInt();
            ByteBuffer tfdt = traf.child("tfdt").payload();
            int version = tfdt.get() & 0xFF;
            tfdt.position(4);
            long base = version == 1 ? tfdt.getLong() : Integer.toUnsignedLong(tfdt.getInt());
            ByteBuffer trun = traf.child("trun").payload();
            int flags = trun.getInt() & 0xFFFFFF;
            if (flags != 0xF01) {
                throw new AssertionError("trun flags " + Integer.toHexString(flags));
            }
            int count = trun.getInt();
            int dataOffset = trun.getInt();
            long[] durations = new long[count];
            int[] sizes = new int[count];
            int[] sampleFlags = new int[count];
            int[] cto = new int[count];
            for (int i = 0; i < count; i++) {
                durations[i] = Integer.toUnsignedLong(trun.getInt());
                sizes[i] = trun.getInt();
                sampleFlags[i] = trun.getInt();
                cto[i] = trun.getInt();
            }
            runs.add(new Run(trackId, base, dataOffset, durations, sizes, sampleFlags, cto));
        }
        return runs;
    }

    public static boolean isSync(int sampleFlags) {
        return (sampleFlags & 0x00010000) == 0;
    }
}
