package io.tribune.sfu.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Last-N: a subscriber receives camera video only from the N participants who were dominant speakers most
 * recently (those who never were follow in the order they joined). Audio, screen shares and the tracks the
 * subscriber pinned are always forwarded and take no place among the N. Pure functions; thread-safe.
 */
final class LastN {

    /** No limit: every camera is forwarded. */
    static final int UNLIMITED = -1;

    private LastN() {
    }

    /**
     * The room's order for last-N: the participants present, most recent dominant speaker first, then those who
     * never were dominant, in the order they joined.
     *
     * @param recentSpeakers participant ids, most recently dominant first (may name people who left)
     * @param present the participants in the room, in the order they joined
     */
    static List<String> ranking(List<String> recentSpeakers, Collection<String> present) {
        Set<String> order = new LinkedHashSet<>();
        for (String id : recentSpeakers) {
            if (present.contains(id)) {
                order.add(id);
            }
        }
        order.addAll(present);
        return new ArrayList<>(order);
    }

    /** The publishers whose cameras {@code subscriber} receives: the first {@code n} of the ranking but itself. */
    static Set<String> chosen(String subscriber, List<String> ranking, int n) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String id : ranking) {
            if (n >= 0 && chosen.size() >= n) {
                break;
            }
            if (!id.equals(subscriber)) {
                chosen.add(id);
            }
        }
        return chosen;
    }

    /** Whether a subscriber receives this track given the publishers chosen for it and its pins. */
    static boolean forwards(TrackSource source, String owner, boolean pinned, Set<String> chosen) {
        return source != TrackSource.CAMERA || pinned || chosen.contains(owner);
    }
}
