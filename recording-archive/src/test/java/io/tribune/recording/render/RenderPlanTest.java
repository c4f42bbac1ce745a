package io.tribune.recording.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderPlanTest {

    private static RenderTrack track(String id, String owner, String kind, String source, long start, long length) {
        return new RenderTrack(id, owner, owner.toUpperCase(), kind, source, Path.of(id), start, length);
    }

    @Test
    void spanRunsFromTheFirstTrackStartToTheLastTrackEnd() {
        RenderPlan plan = RenderPlan.of(List.of(track("a-mic", "a", "audio", "microphone", 0, 4_000),
                track("b-cam", "b", "video", "camera", 2_500, 6_000)), new String[0], 100);
        assertThat(plan.spanMillis()).isEqualTo(8_500);
        assertThat(plan.participants()).containsExactly(new RenderPlan.Participant("a", "A"),
                new RenderPlan.Participant("b", "B"));
        assertThat(plan.epochs()).singleElement().satisfies(e -> {
            assertThat(e.startMillis()).isZero();
            assertThat(e.endMillis()).isEqualTo(8_500);
            assertThat(e.speaker()).isEqualTo("a");
            assertThat(e.screen()).isNull();
        });
    }

    @Test
    void speakerChangesAndScreenSharesCutEpochs() {
        RenderTrack screen = track("b-screen", "b", "video", "screen", 3_000, 2_000);
        String[] speakers = new String[100];
        java.util.Arrays.fill(speakers, 0, 40, "a");
        java.util.Arrays.fill(speakers, 40, 100, "b");
        RenderPlan plan = RenderPlan.of(List.of(track("a-mic", "a", "audio", "microphone", 0, 10_000),
                track("b-mic", "b", "audio", "microphone", 0, 10_000), screen), speakers, 100);
        assertThat(plan.epochs()).extracting(RenderPlan.Epoch::startMillis).containsExactly(0L, 3_000L, 4_000L,
                5_000L);
        assertThat(plan.epochs()).extracting(RenderPlan.Epoch::speaker).containsExactly("a", "a", "b", "b");
        assertThat(plan.epochs()).extracting(RenderPlan.Epoch::screen).containsExactly(null, screen, screen, null);
        assertThat(plan.epochs().get(3).endMillis()).isEqualTo(10_000);
    }
}
