package io.tribune.recording.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each participant goes on the composed canvas, for one layout epoch (a stretch of time with the same active
 * speaker and screen share).
 *
 * <pre>
 *   no screen share                       a screen share
 *   +---------------------------+         +--------------------+------+
 *   |                           |         |                    |speak.|
 *   |    active speaker (fit)   |         |   screen (fit)     +------+
 *   |                           |         |                    |other |
 *   +------+------+------+------+         |                    +------+
 *   |other |other |other |other |         |                    |other |
 *   +------+------+------+------+         +--------------------+------+
 * </pre>
 *
 * A single participant without a screen share fills the canvas. Every participant of the recording has a tile for
 * the whole recording (a placeholder with the name while they have no picture), so tiles do not jump when someone
 * joins late or leaves early. Stateless; thread-safe.
 */
public final class Layout {

    /** How a picture fills its tile: whole and letterboxed ({@code FIT}), or cropped to fill it ({@code COVER}). */
    public enum Fit { FIT, COVER }

    /**
     * One tile: a participant's camera (or placeholder), or the screen share ({@code screen}).
     *
     * @param participantId whose tile; for the screen share, the sharer
     */
    public record Tile(String participantId, boolean screen, boolean stage, int x, int y, int width, int height,
                       Fit fit) {
    }

    private Layout() {
    }

    /**
     * The tiles of one epoch, the stage first.
     *
     * @param participants every participant, in the order their tiles go in the strip
     * @param speaker      the active speaker (one of {@code participants})
     * @param screenOwner  the participant sharing a screen now, or null
     */
    public static List<Tile> tiles(int width, int height, List<String> participants, String speaker,
                                   String screenOwner) {
        List<Tile> tiles = new ArrayList<>();
        List<String> others = new ArrayList<>(participants);
        if (screenOwner != null) {
            int column = even(width / 4);
            tiles.add(new Tile(screenOwner, true, true, 0, 0, width - column, height, Fit.FIT));
            List<String> stack = new ArrayList<>();
            if (speaker != null) {
                stack.add(speaker);
                others.remove(speaker);
            }
            stack.addAll(others);
            if (stack.isEmpty()) {
                return tiles;
            }
            int tileHeight = even(Math.min(height / stack.size(), column * 9 / 16));
            int tileWidth = even(Math.min(column, tileHeight * 16 / 9));
            int x = width - column + (column - tileWidth) / 2;
            for (int i = 0; i < stack.size(); i++) {
                tiles.add(new Tile(stack.get(i), false, false, even(x), i * tileHeight, tileWidth, tileHeight,
                        Fit.COVER));
            }
            return tiles;
        }
        if (participants.isEmpty()) {
            return tiles;
        }
        if (participants.size() == 1 || speaker == null) {
            String only = speaker != null ? speaker : participants.get(0);
            if (participants.size() == 1) {
                tiles.add(new Tile(only, false, true, 0, 0, width, height, Fit.FIT));
                return tiles;
            }
        }
        String onStage = speaker != null ? speaker : participants.get(0);
        others.remove(onStage);
        int strip = even(height / 4);
        tiles.add(new Tile(onStage, false, true, 0, 0, width, height - strip, Fit.FIT));
        int tileWidth = even(Math.min(width / others.size(), strip * 16 / 9));
        int tileHeight = even(Math.min(strip, tileWidth * 9 / 16));
        int x = (width - tileWidth * others.size()) / 2;
        int y = height - strip + (strip - tileHeight) / 2;
        for (int i = 0; i < others.size(); i++) {
            tiles.add(new Tile(others.get(i), false, false, even(x + i * tileWidth), even(y), tileWidth, tileHeight,
                    Fit.COVER));
        }
        return tiles;
    }

    private static int even(int value) {
        return value & ~1;
    }
}
