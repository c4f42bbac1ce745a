package io.tribune.transcoder.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where each video stream of the stage goes in the output frame. Two layouts, as in every webinar product:
 * <ul>
 *   <li>no screen share: the speaker's camera full frame;</li>
 *   <li>a screen share: the screen large (three quarters of the width, 16:9, centred vertically) and the speaker's
 *   camera beside it on the right (a quarter of the width, 16:9).</li>
 * </ul>
 * The speaker is the SFU's dominant speaker from the description ({@code active_speaker}: the SFU already measures
 * every microphone's level, so the transcoder decodes no audio for it); before anyone spoke, or when the speaker
 * publishes no camera, the first camera of the description. Of several screen shares, the speaker's wins, else the
 * first. Everything else is hidden. Stateless.
 */
public final class StageLayout {

    /** One compositor pad: position and size in output pixels; hidden streams have {@code visible} false. */
    public record Placement(String trackId, int x, int y, int width, int height, boolean visible) {
    }

    private StageLayout() {
    }

    public static List<Placement> place(StageDescription stage, int width, int height) {
        List<StageDescription.Stream> video = stage.streams().stream().filter(StageDescription.Stream::isVideo)
                .toList();
        Optional<StageDescription.Stream> camera = pick(video, "camera", stage.activeSpeaker());
        Optional<StageDescription.Stream> screen = pick(video, "screen", stage.activeSpeaker());
        List<Placement> placements = new ArrayList<>();
        for (StageDescription.Stream s : video) {
            if (screen.isPresent() && s == screen.get()) {
                int w = even(width * 3 / 4);
                int h = even(w * 9 / 16);
                placements.add(new Placement(s.trackId(), 0, even((height - h) / 2), w, h, true));
            } else if (camera.isPresent() && s == camera.get()) {
                if (screen.isPresent()) {
                    int w = even(width / 4);
                    int h = even(w * 9 / 16);
                    placements.add(new Placement(s.trackId(), width - w, even((height - h) / 2), w, h, true));
                } else {
                    placements.add(new Placement(s.trackId(), 0, 0, width, height, true));
                }
            } else {
                placements.add(new Placement(s.trackId(), 0, 0, width, height, false));
            }
        }
        return placements;
    }

    private static Optional<StageDescription.Stream> pick(List<StageDescription.Stream> video, String source,
                                                          String speaker) {
        List<StageDescription.Stream> of = video.stream().filter(s -> s.source().equals(source)).toList();
        return of.stream().filter(s -> s.participantId().equals(speaker)).findFirst()
                .or(() -> of.stream().findFirst());
    }

    private static int even(int value) {
        return value & ~1;
    }
}
