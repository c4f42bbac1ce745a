package io.tribune.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoriesTest {

    @TempDir
    Path dir;

    @Test
    void deletesWholeTreeButNotLinkTargets() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/kafka/log/meetings-0"));
        Files.writeString(data.resolve("00000000000000000000.log"), "records");
        Path outside = Files.writeString(dir.resolve("outside.txt"), "keep me");
        Files.createSymbolicLink(dir.resolve("data/link"), outside);

        DataDirectories.deleteRecursively(dir.resolve("data"));

        assertThat(dir.resolve("data")).doesNotExist();
        assertThat(outside).hasContent("keep me");
    }

    @Test
    void missingDirectoryIsNotAnError() throws Exception {
        DataDirectories.deleteRecursively(dir.resolve("never-created"));
        assertThat(dir.resolve("never-created")).doesNotExist();
    }
}
