package io.tribune.hls.live;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A media segment of a rendition: open while parts are still being added, then complete. Guarded by its
 * {@link Rendition}'s lock; {@link #bytes()} and the fields of a complete segment never change again.
 */
public final class Segment {

    private final long msn;
    private final Instant programDateTime;
    private final boolean discontinuity;
    private final String initFile;
    private final List<Part> parts = new ArrayList<>();
    private double duration;
    private boolean complete;
    private byte[] bytes;

    Segment(long msn, Instant programDateTime, boolean discontinuity, String initFile) {
        this.msn = msn;
        this.programDateTime = programDateTime;
        this.discontinuity = discontinuity;
        this.initFile = initFile;
    }

    /** A whole segment without parts (subtitles). */
    static Segment whole(long msn, Instant programDateTime, boolean discontinuity, double duration, byte[] bytes) {
        Segment segment = new Segment(msn, programDateTime, discontinuity, null);
        segment.duration = duration;
        segment.complete = true;
        segment.bytes = bytes;
        return segment;
    }

    void add(Part part) {
        parts.add(part);
        duration += part.duration();
    }

    void complete() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            out.writeBytes(part.bytes());
        }
        bytes = out.toByteArray();
        complete = true;
    }

    /** Frees the parts' bytes once they have left the playlist; the segment file stays. */
    void dropParts() {
        parts.clear();
    }

    public long msn() {
        return msn;
    }

    public Instant programDateTime() {
        return programDateTime;
    }

    public boolean discontinuity() {
        return discontinuity;
    }

    /** The init segment's file name in force for this segment, or null (subtitles). */
    public String initFile() {
        return initFile;
    }

    public List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    public double duration() {
        return duration;
    }

    public boolean isComplete() {
        return complete;
    }

    /** The whole segment (its parts concatenated); null while open. */
    public byte[] bytes() {
        return bytes;
    }

    public String fileName(String extension) {
        return "s" + msn + extension;
    }
}
