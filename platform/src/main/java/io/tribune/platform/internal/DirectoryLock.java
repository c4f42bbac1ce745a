package io.tribune.platform.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS file lock that a component holds on its data directory while it runs. The OS drops it when the
 * holding JVM dies, however it dies, so "lock acquired" proves that any server process still recorded in the
 * directory is an orphan and may be stopped.
 *
 * <p>Not thread-safe; the owning component guards it.
 */
public final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code lockFile}, creating it if needed.
     *
     * @throws IllegalStateException if another process or another component in this JVM holds it
     */
    public static DirectoryLock acquire(Path lockFile, String component) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IllegalStateException(component + ": data directory " + lockFile.getParent()
                    + " is in use by another " + component + " component in this JVM", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException(component + ": data directory " + lockFile.getParent()
                    + " is in use by another process; stop it or choose another data directory");
        }
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
