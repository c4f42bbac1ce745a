package io.tribune.recording.storage;

/** An object the archive stored: its key, size and the SHA-256 of its bytes (lower-case hex). */
public record StoredObject(String key, long sizeBytes, String sha256) {
}
