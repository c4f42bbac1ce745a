package io.tribune.recording.render;

import java.util.List;
import java.util.Map;

/**
 * Decides who is the active speaker in each window of a recording from the participants' audio levels, with
 * hysteresis so the layout does not flicker: a challenger takes over only after being the loudest speaker, by a
 * margin over the current one, for {@code switchWindows} windows in a row, and never sooner than {@code holdWindows}
 * after the last change. Once a challenger is confirmed, the change is dated back to the start of its run (the
 * renderer knows the future: it reads stored files, so the large tile moves when the person starts talking, not when
 * the decision was certain). Silence keeps the current speaker. Stateless; thread-safe.
 */
public final class SpeakerTimeline {

    /**
     * @param windowMillis   length of one level window
     * @param speakingDb     a participant below this level (dBFS) is not speaking
     * @param marginDb       how much louder than the current speaker a challenger must be
     * @param switchWindows  windows in a row a challenger must lead before it takes over
     * @param holdWindows    windows a speaker keeps the stage at least
     */
    public record Settings(int windowMillis, double speakingDb, double marginDb, int switchWindows, int holdWindows) {

        public static final Settings DEFAULT = new Settings(100, -45, 6, 8, 20);

        public Settings {
            if (windowMillis <= 0 || switchWindows < 1 || holdWindows < 0) {
                throw new IllegalArgumentException("window, switch and hold must be positive");
            }
        }
    }

    /** Quieter than anything: a window with no audio of a participant. */
    public static final double SILENCE_DB = -120;

    private SpeakerTimeline() {
    }

    /**
     * The speaker of each of {@code windows} windows: an entry of {@code participants} (their order breaks ties
     * and picks the first speaker when nobody ever speaks), never null unless {@code participants} is empty.
     *
     * @param levelsDb per participant, its level in dBFS per window (shorter arrays: silence after their end)
     */
    public static String[] choose(List<String> participants, Map<String, double[]> levelsDb, int windows,
                                  Settings settings) {
        String[] speaker = new String[windows];
        if (participants.isEmpty() || windows == 0) {
            return speaker;
        }
        String current = firstSpeaker(participants, levelsDb, windows, settings);
        String challenger = null;
        int challengerStart = -1;
        int lastChange = -settings.holdWindows();
        for (int w = 0; w < windows; w++) {
            String loudest = loudest(participants, levelsDb, w, settings.speakingDb());
            if (loudest != null && !loudest.equals(current)
                    && level(levelsDb, loudest, w) >= level(levelsDb, current, w) + settings.marginDb()) {
                if (!loudest.equals(challenger)) {
                    challenger = loudest;
                    challengerStart = w;
                }
                // Dated back to the start of the challenger's run, but not into the last speaker's hold time.
                int from = Math.max(challengerStart, lastChange + settings.holdWindows());
                if (w - challengerStart + 1 >= settings.switchWindows() && from <= w) {
                    for (int back = from; back < w; back++) {
                        speaker[back] = challenger;
                    }
                    current = challenger;
                    lastChange = from;
                    challenger = null;
                }
            } else {
                challenger = null;
            }
            speaker[w] = current;
        }
        return speaker;
    }

    private static String firstSpeaker(List<String> participants, Map<String, double[]> levelsDb, int windows,
                                       Settings settings) {
        for (int w = 0; w < windows; w++) {
            String loudest = loudest(participants, levelsDb, w, settings.speakingDb());
            if (loudest != null) {
                return loudest;
            }
        }
        return participants.get(0);
    }

    private static String loudest(List<String> participants, Map<String, double[]> levelsDb, int w,
                                  double speakingDb) {
        String best = null;
        double bestLevel = speakingDb;
        for (String p : participants) {
            double level = level(levelsDb, p, w);
            if (level >= bestLevel && (best == null || level > bestLevel)) {
                best = p;
                bestLevel = level;
            }
        }
        return best;
    }

    private static double level(Map<String, double[]> levelsDb, String participant, int w) {
        double[] levels = levelsDb.get(participant);
        return levels == null || w >= levels.length ? SILENCE_DB : levels[w];
    }
}
