package io.tribune.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleProcessesTest {

    @TempDir
    Path dir;

    private Process sleeper;

    @AfterEach
    void killSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void stopsLiveProcessWhoseCommandMatches() throws Exception {
        sleeper = new ProcessBuilder(List.of("sleep", "60")).start();
        Path pidFile = writePid(sleeper.pid());

        boolean stopped = StaleProcesses.stopIfRunning(pidFile, "sleep", Duration.ofSeconds(5), "test");

        assertThat(stopped).isTrue();
        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void leavesAloneRecycledPidOfAnotherProgram() throws Exception {
        sleeper = new ProcessBuilder(List.of("sleep", "60")).start();
        Path pidFile = writePid(sleeper.pid());

        boolean stopped = StaleProcesses.stopIfRunning(pidFile, "redis-server", Duration.ofSeconds(5), "test");

        assertThat(stopped).isFalse();
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    void ignoresMissingOrGarbledPidFile() throws Exception {
        assertThat(StaleProcesses.stopIfRunning(dir.resolve("none.pid"), "sleep", Duration.ofSeconds(1), "test"))
                .isFalse();
        Path garbled = dir.resolve("garbled.pid");
        Files.writeString(garbled, "not a pid\n");
        assertThat(StaleProcesses.readPid(garbled)).isEmpty();
        assertThat(StaleProcesses.stopIfRunning(garbled, "sleep", Duration.ofSeconds(1), "test")).isFalse();
    }

    @Test
    void neverStopsThisJvm() throws Exception {
        Path pidFile = writePid(ProcessHandle.current().pid());
        assertThat(StaleProcesses.stopIfRunning(pidFile, "", Duration.ofSeconds(1), "test")).isFalse();
    }

    private Path writePid(long pid) throws Exception {
        Path pidFile = dir.resolve("server.pid");
        Files.writeString(pidFile, pid + "\n");
        return pidFile;
    }
}
