package io.tribune.hls.live;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The final captions of one live event waiting for, or still inside, the subtitles playlist's window, on the
 * wall clock (the same clock as the segments' PROGRAM-DATE-TIME).
 *
 * <p>Placement, when a subtitle segment covering {@code [start, end)} is written ({@link #take}):
 * <ul>
 *   <li>every cue that overlaps the span goes in (a cue spanning two segments is in both, with the same id, so
 *       players that deduplicate by id show it once);</li>
 *   <li>every cue not yet written whose span ended before {@code start} goes in too: it arrived after its segment
 *       was written (captions come ~1 s after the speech), so it is late, never lost;</li>
 *   <li>cues that start at or after {@code end} wait for a later segment.</li>
 * </ul>
 * A cue offered after the window has moved past its end is refused ({@link Offer#EXPIRED}); written cues leave
 * once the window has moved past them. At most {@value #MAX_CUES} cues are held; beyond that the oldest goes.
 *
 * <p>Thread-safe: the Kafka consumer's threads offer, the ingest thread takes.
 */
public final class SubtitleCues {

    /** Cues held per event: several minutes of speech at one phrase per second; more is a runaway producer. */
    static final int MAX_CUES = 500;

    /**
     * One final caption.
     *
     * @param id      unique within the event (the phrase id): a caption delivered twice is one cue
     * @param speaker the speaker's display name, or null
     */
    public record Cue(String id, String speaker, String text, Instant start, Instant end) {
        public Cue {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("cue " + id + " ends before it starts");
            }
        }
    }

    /** What became of an offered cue. */
    public enum Offer { ACCEPTED, DUPLICATE, EXPIRED }

    private static final class Held {
        final Cue cue;
        boolean written;

        Held(Cue cue) {
            this.cue = cue;
        }
    }

    /** By id, in arrival order. Guarded by this. */
    private final Map<String, Held> cues = new LinkedHashMap<>();
    /** The start of the subtitles playlist's window: cues ending before it are of no use. Guarded by this. */
    private Instant horizon;

    public synchronized Offer offer(Cue cue) {
        if (horizon != null && cue.end().isBefore(horizon)) {
            return Offer.EXPIRED;
        }
        if (cues.containsKey(cue.id())) {
            return Offer.DUPLICATE;
        }
        if (cues.size() >= MAX_CUES) {
            Iterator<Map.Entry<String, Held>> oldest = cues.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
        cues.put(cue.id(), new Held(cue));
        return Offer.ACCEPTED;
    }

    /**
     * The cues of a subtitle segment covering {@code [start, end)}, by start time, as described above; they count
     * as written from now on.
     *
     * @param windowStart where the playlist's window now starts: written cues that end before it are forgotten
     */
    public synchronized List<Cue> take(Instant start, Instant end, Instant windowStart) {
        List<Cue> taken = new ArrayList<>();
        for (Held held : cues.values()) {
            Cue cue = held.cue;
            boolean overlaps = cue.start().isBefore(end) && cue.end().isAfter(start);
            boolean late = !held.written && !cue.start().isAfter(start) && !cue.end().isAfter(start);
            if (overlaps || late) {
                taken.add(cue);
                held.written = true;
            }
        }
        horizon = windowStart;
        cues.values().removeIf(h -> h.written && h.cue.end().isBefore(windowStart));
        taken.sort(Comparator.comparing(Cue::start).thenComparing(Cue::end));
        return taken;
    }

    /** Cues held now (waiting or inside the window). */
    public synchronized int size() {
        return cues.size();
    }
}
