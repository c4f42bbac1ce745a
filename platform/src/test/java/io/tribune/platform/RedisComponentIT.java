package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tribune.platform.internal.Ports;
import io.tribune.platform.internal.RedisExecutable;
import io.tribune.platform.internal.StaleProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

class RedisComponentIT {

    @TempDir
    Path dataDir;

    @Test
    void valueSurvivesRestartOnSamePort() throws Exception {
        try (RedisComponent redis = new RedisComponent(dataDir, 0)) {
            redis.start();
            int port = redis.port();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + port);
            assertThat(redis.version()).isEqualTo("Redis 6.2.11");
            withRedisson(redis, client -> client.getBucket("room:1", StringCodec.INSTANCE).set("open"));

            redis.stop();
            assertThat(Ports.isListening(port)).isFalse();
            redis.start();

            assertThat(redis.port()).isEqualTo(port);
            withRedisson(redis, client ->
                    assertThat(client.getBucket("room:1", StringCodec.INSTANCE).get()).isEqualTo("open"));
        }
        assertThat(dataDir.resolve("redis/appendonly.aof")).exists();
    }

    @Test
    void recordsServerPidWhileRunningAndRemovesItOnStop() throws Exception {
        try (RedisComponent redis = new RedisComponent(dataDir, 0)) {
            redis.start();
            long pid = StaleProcesses.readPid(redis.pidFile()).orElseThrow();
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            assertThat(server.isAlive()).isTrue();

            redis.stop();

            assertThat(server.isAlive()).isFalse();
            assertThat(redis.pidFile()).doesNotExist();
        }
    }

    @Test
    void stopsServerOrphanedByKilledJvmBeforeStarting() throws Exception {
        // What a SIGKILLed JVM leaves behind: a redis-server on the port, named in the pid file, with no lock held.
        RedisComponent redis = new RedisComponent(dataDir, Ports.pickFree());
        Files.createDirectories(redis.directory());
        Path binary = RedisExecutable.locate(dataDir.resolve("orphan-bin")).path();
        Process orphan = new ProcessBuilder(List.of(binary.toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(redis.port()),
                "--dir", redis.directory().toString(), "--pidfile", redis.pidFile().toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            awaitListening(redis.port());
            // redis-server listens before it writes its pid file: wait for both, as a killed JVM's leftover has.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (StaleProcesses.readPid(redis.pidFile()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(StaleProcesses.readPid(redis.pidFile())).contains(orphan.pid());

            redis.start();

            assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(StaleProcesses.readPid(redis.pidFile()).orElseThrow()).isNotEqualTo(orphan.pid());
            withRedisson(redis, client -> client.getBucket("k", StringCodec.INSTANCE).set("v"));
        } finally {
            redis.stop();
            orphan.destroyForcibly();
        }
    }

    @Test
    void refusesDataDirOfAnotherRunningComponent() throws Exception {
        try (RedisComponent first = new RedisComponent(dataDir, 0)) {
            first.start();
            RedisComponent second = new RedisComponent(dataDir, 0);
            assertThatThrownBy(second::start).hasMessageContaining("is in use by another redis component");
            assertThat(first.isRunning()).isTrue();
        }
    }

    private interface RedissonAction {
        void run(RedissonClient client);
    }

    private static void withRedisson(RedisComponent redis, RedissonAction action) {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri()).setConnectionMinimumIdleSize(1).setConnectionPoolSize(2);
        RedissonClient client = Redisson.create(config);
        try {
            action.run(client);
        } finally {
            client.shutdown();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Ports.isListening(port)) {
            assertThat(System.nanoTime()).as("redis-server listening on %d", port).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
