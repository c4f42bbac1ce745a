package io.tribune.recording.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the composed file shows when: the participants (in the order they first appear), the recording's span (first
 * track start to last track end) and its layout epochs (stretches with the same active speaker and screen share).
 * Immutable.
 */
public final class RenderPlan {

    /** A participant and the name on their tile. */
    public record Participant(String id, String name) {
    }

    /** From {@code startMillis} (inclusive) to {@code endMillis}: this speaker on stage, this screen share or none. */
    public record Epoch(long startMillis, long endMillis, String speaker, RenderTrack screen) {
    }

    private final List<RenderTrack> tracks;
    private final List<Participant> participants;
    private final long spanMillis;
    private final List<Epoch> epochs;

    private RenderPlan(List<RenderTrack> tracks, List<Participant> participants, long spanMillis,
                       List<Epoch> epochs) {
        this.tracks = tracks;
        this.participants = participants;
        this.spanMillis = spanMillis;
        this.epochs = epochs;
    }

    /**
     * The plan for {@code tracks} (start times already relative to the first track) with one speaker per level window
     * (see {@link SpeakerTimeline}).
     */
    public static RenderPlan of(List<RenderTrack> tracks, String[] speakers, int windowMillis) {
        List<RenderTrack> sorted = new ArrayList<>(tracks);
        sorted.sort(Comparator.comparingLong(RenderTrack::startMillis).thenComparing(RenderTrack::trackId));
        Map<String, String> names = new LinkedHashMap<>();
        long span = 0;
        for (RenderTrack track : sorted) {
            String name = track.displayName() == null || track.displayName().isBlank() ? track.owner()
                    : track.displayName();
            names.merge(track.owner(), name, (old, now) -> old);
            span = Math.max(span, track.endMillis());
        }
        List<Participant> participants = new ArrayList<>();
        names.forEach((id, name) -> participants.add(new Participant(id, name)));

        List<Epoch> epochs = new ArrayList<>();
        long start = 0;
        String speaker = speakerAt(speakers, windowMillis, 0, participants);
        RenderTrack screen = screenAt(sorted, 0);
        for (long t = 0; t < span; ) {
            long next = Math.min(span, nextChange(sorted, speakers, windowMillis, t));
            String nextSpeaker = next < span ? speakerAt(speakers, windowMillis, next, participants) : speaker;
            RenderTrack nextScreen = next < span ? screenAt(sorted, next) : screen;
            if (next >= span || !java.util.Objects.equals(nextSpeaker, speaker) || nextScreen != screen) {
                epochs.add(new Epoch(start, next, speaker, screen));
                start = next;
                speaker = nextSpeaker;
                screen = nextScreen;
            }
            t = next;
        }
        return new RenderPlan(List.copyOf(sorted), List.copyOf(participants), span, List.copyOf(epochs));
    }

    private static long nextChange(List<RenderTrack> tracks, String[] speakers, int windowMillis, long t) {
        long next = Long.MAX_VALUE;
        int w = (int) (t / windowMillis);
        for (int i = w + 1; i < speakers.length; i++) {
            if (!java.util.Objects.equals(speakers[i], speakers[w])) {
                next = (long) i * windowMillis;
                break;
            }
        }
        for (RenderTrack track : tracks) {
            if (track.isScreen()) {
                if (track.startMillis() > t) {
                    next = Math.min(next, track.startMillis());
                }
                if (track.endMillis() > t) {
                    next = Math.min(next, track.endMillis());
                }
            }
        }
        return next;
    }

    private static String speakerAt(String[] speakers, int windowMillis, long t, List<Participant> participants) {
        int w = (int) (t / windowMillis);
        if (speakers.length > 0) {
            String s = speakers[Math.min(w, speakers.length - 1)];
            if (s != null) {
                return s;
            }
        }
        return participants.isEmpty() ? null : participants.get(0).id();
    }

    /** The screen share showing at {@code t}: the one started last among those running. */
    private static RenderTrack screenAt(List<RenderTrack> tracks, long t) {
        RenderTrack found = null;
        for (RenderTrack track : tracks) {
            if (track.isScreen() && track.startMillis() <= t && t < track.endMillis()) {
                found = track;
            }
        }
        return found;
    }

    public List<RenderTrack> tracks() {
        return tracks;
    }

    public List<Participant> participants() {
        return participants;
    }

    public List<String> participantIds() {
        return participants.stream().map(Participant::id).toList();
    }

    public long spanMillis() {
        return spanMillis;
    }

    public List<Epoch> epochs() {
        return epochs;
    }
}
