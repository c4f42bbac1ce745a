package io.tribune.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisExecutableTest {

    @TempDir
    Path dir;

    @Test
    void bundledBinaryRunsHereAndIsRedis6() throws Exception {
        RedisExecutable executable = RedisExecutable.locate(dir.resolve("bin"));
        assertThat(executable.version()).isEqualTo("Redis 6.2.11");
        assertThat(executable.path()).isExecutable();
    }

    @Test
    void fallsBackWhenBundledBinaryCannotRun() throws Exception {
        Path broken = script("broken-redis-server",
                "echo 'error while loading shared libraries: libssl.so.3'; exit 127");
        Path working = RedisExecutable.locate(dir.resolve("bin")).path();

        RedisExecutable chosen = RedisExecutable.locate(broken, working);

        assertThat(chosen.path()).isEqualTo(working);
        assertThat(chosen.version()).isEqualTo("Redis 6.2.11");
    }

    @Test
    void explainsHowToInstallFallbackWhenNothingRuns() throws Exception {
        Path broken = script("broken-redis-server", "exit 127");

        assertThatThrownBy(() -> RedisExecutable.locate(broken, dir.resolve("missing/redis-server")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the bundled redis-server cannot run here")
                .hasMessageEndingWith("install it with: apt-get install redis-server");
    }

    @Test
    void rejectsProgramThatIsNotRedis() throws Exception {
        Path impostor = script("redis-server", "echo 'hello'");

        assertThatThrownBy(() -> RedisExecutable.locate(impostor, dir.resolve("missing")))
                .hasMessageContaining("--version exited with 0: hello");
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
