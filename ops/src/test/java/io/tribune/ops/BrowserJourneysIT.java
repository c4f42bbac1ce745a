package io.tribune.ops;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journeys people take through the web client, in real Chromiums, against one {@code tribune up} (starting
 * it costs a minute or more on a 2-core machine, so the journeys share it; each signs up its own people and
 * schedules its own meeting). Its ladder is two low rungs, for the town hall's transcoder on two cores. The same
 * {@code tribune up} is checked as a fresh one, killed and started again first, and the journeys run on the
 * restarted one, which is taken down at the end ({@link UpLifecycle}): one start of Tribune fewer than with the
 * lifecycle in a class of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserJourneysIT {

    @TempDir
    static Path dataDir;
    private static TribuneUp tribune;

    @BeforeAll
    static void up() throws Exception {
        Browser.requireInstalled();
        tribune = TribuneUp.start(dataDir, Map.of("TRIBUNE_LADDER", TownHallStage.LADDER));
    }

    @AfterAll
    static void down() throws Exception {
        if (tribune != null) {
            tribune.close();
        }
    }

    @Test
    @Order(0)
    void upAnswersStatusLoginAndMailAndRefusesASecondUp() throws Exception {
        UpLifecycle.checkRunning(tribune);
    }

    @Test
    @Order(1)
    void aKilledSupervisorTakesItsServicesAlongAndAnUpAgainKeepsTheData() throws Exception {
        UpLifecycle.killAndUpAgain(tribune);
    }

    @Test
    @Order(2)
    void threePeopleMeetSeeAndHearEachOtherChatShareAndTheHostModerates() throws Exception {
        MeetingJourney.run(tribune);
    }

    @Test
    @Order(3)
    void eachSeesTheOthersConnectionQualityAndTheSpeakerViewPutsTheSpeakerOrAShareOnTheStage() throws Exception {
        SpeakerView.run(tribune);
    }

    @Test
    @Order(4)
    @Timeout(600)
    void theHostBroadcastsTheStageFromTheWebClientAndTheAudiencePlaysItWithoutStalls() throws Exception {
        TownHallStage.run(tribune);
    }

    @Test
    @Order(5)
    void downStopsEverythingAndReleasesEveryPort() throws Exception {
        UpLifecycle.downReleasesEverything(tribune);
    }
}
