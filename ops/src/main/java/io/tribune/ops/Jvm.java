package io.tribune.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the running JVM's {@code java} binary is, so children run on the same JDK. */
final class Jvm {

    private Jvm() {
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .filter(cmd -> Files.isExecutable(Path.of(cmd)))
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
