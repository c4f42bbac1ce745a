package io.tribune.sfu.room;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks a room's dominant speaker from the participants' audio activity, one tick (100 ms) at a time. After
 * Volfin and Cohen's idea (the one Jitsi uses) of judging speech over more than one time scale, simplified:
 *
 * <ul>
 *   <li>Each tick, a participant's activity is the share of its audio packets whose RFC 6464 level was speech
 *       (no packets, or only silence, is 0).</li>
 *   <li>Two exponential averages of it: a <b>short</b> one (about 0.3 s) says "speaking right now", a
 *       <b>medium</b> one (about 1 s) says "has been speaking for a while" and is the score.</li>
 *   <li>Someone becomes dominant only while speaking now (short at least {@code speakingShort}) with a score of
 *       at least {@code minScore}: silence never wins, and a cough (0.2-0.4 s) never reaches the score.</li>
 *   <li>A challenger takes over from a dominant speaker who has gone quiet as soon as its score is higher; from
 *       one still speaking only when its score is higher by {@code takeoverMargin} (hysteresis); and never
 *       sooner than {@code minDwellMillis} after the last change, so crosstalk does not flap.</li>
 *   <li>When everyone is silent the last dominant speaker stays dominant (what a meeting shows on stage).</li>
 * </ul>
 *
 * <p>Not thread-safe: the room drives it under its lock.
 */
public final class DominantSpeakerDetector {

    /**
     * @param tickMillis how often {@link #tick} runs
     * @param shortMillis time constant of the "speaking now" average
     * @param mediumMillis time constant of the score
     * @param speakingShort the short average above which someone is speaking now (0..1)
     * @param minScore the least score that can become dominant (0..1)
     * @param takeoverMargin how much more score a challenger needs while the dominant speaker still speaks
     * @param minDwellMillis the least time between two changes
     */
    public record Settings(long tickMillis, long shortMillis, long mediumMillis, double speakingShort,
                           double minScore, double takeoverMargin, long minDwellMillis) {

        public static final Settings DEFAULT = new Settings(100, 300, 1000, 0.5, 0.4, 0.25, 1000);
    }

    /**
     * One participant's audio over one tick.
     *
     * @param packets packets that carried an audio level
     * @param speechPackets of those, how many were speech
     * @param loudness the speech packets' mean loudness, 0 (at the speech threshold) to 1 (0 dBov)
     */
    public record Activity(int packets, int speechPackets, double loudness) {

        public static final Activity SILENT = new Activity(0, 0, 0);

        double speechRatio() {
            return packets == 0 ? 0 : (double) speechPackets / packets;
        }
    }

    private static final class Scores {
        double shortTerm;
        double medium;
        double loudness;
    }

    private final Settings settings;
    private final double shortAlpha;
    private final double mediumAlpha;
    private final Map<String, Scores> scores = new LinkedHashMap<>();
    private String dominant;
    private long lastChangeMillis = Long.MIN_VALUE / 2;

    public DominantSpeakerDetector(Settings settings) {
        this.settings = settings;
        this.shortAlpha = 1 - Math.exp(-(double) settings.tickMillis() / settings.shortMillis());
        this.mediumAlpha = 1 - Math.exp(-(double) settings.tickMillis() / settings.mediumMillis());
    }

    /**
     * One tick: updates every participant's scores (a participant missing from {@code activity} was silent) and
     * decides the dominant speaker.
     *
     * @return the new dominant speaker when it changed in this tick
     */
    public Optional<String> tick(Map<String, Activity> activity, long nowMillis) {
        for (String id : activity.keySet()) {
            scores.computeIfAbsent(id, k -> new Scores());
        }
        for (Map.Entry<String, Scores> entry : scores.entrySet()) {
            Activity a = activity.getOrDefault(entry.getKey(), Activity.SILENT);
            Scores s = entry.getValue();
            double ratio = a.speechRatio();
            s.shortTerm += shortAlpha * (ratio - s.shortTerm);
            s.medium += mediumAlpha * (ratio - s.medium);
            s.loudness += shortAlpha * (ratio * a.loudness() - s.loudness);
        }
        String challenger = null;
        double best = -1;
        for (Map.Entry<String, Scores> entry : scores.entrySet()) {
            Scores s = entry.getValue();
            if (!entry.getKey().equals(dominant) && speaking(s) && s.medium >= settings.minScore() && s.medium > best) {
                challenger = entry.getKey();
                best = s.medium;
            }
        }
        if (challenger == null || nowMillis - lastChangeMillis < settings.minDwellMillis()) {
            return Optional.empty();
        }
        Scores current = dominant == null ? null : scores.get(dominant);
        boolean takesOver = current == null
                || (speaking(current) ? best > current.medium + settings.takeoverMargin() : best > current.medium);
        if (!takesOver) {
            return Optional.empty();
        }
        dominant = challenger;
        lastChangeMillis = nowMillis;
        return Optional.of(challenger);
    }

    private boolean speaking(Scores s) {
        return s.shortTerm >= settings.speakingShort();
    }

    /** Forgets a participant (left, or its microphone went away); a dominant one leaves nobody dominant. */
    public void remove(String participantId) {
        scores.remove(participantId);
        if (participantId.equals(dominant)) {
            dominant = null;
        }
    }

    /** Clears a participant's scores at once (its microphone was muted): it stops counting from now. */
    public void silence(String participantId) {
        Scores s = scores.get(participantId);
        if (s != null) {
            s.shortTerm = 0;
            s.medium = 0;
            s.loudness = 0;
        }
    }

    /** The dominant speaker, or null before anyone spoke (or after the last one left). */
    public String dominant() {
        return dominant;
    }

    /**
     * Who is speaking now, loudest first, with a level from 0 to 1 (their recent loudness, rounded to tenths so
     * that the list changes only when someone's loudness really does).
     */
    public List<Map.Entry<String, Double>> speaking() {
        Map<String, Double> out = new HashMap<>();
        scores.forEach((id, s) -> {
            if (speaking(s)) {
                out.put(id, Math.round(Math.min(1, s.loudness) * 10) / 10.0);
            }
        });
        return out.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }
}
