package io.tribune.api.core;

import io.tribune.api.errors.ApiException;
import org.jdbi.v3.core.Jdbi;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Files shared in a meeting: a participant offers a file (name, size, type), is refused at once if it is too large
 * (413) or of a type the settings do not allow (415), else gets a signed, expiring upload link; the upload
 * streams the bytes into object storage ({@link FileStore}) and marks the file ready. Members then download it
 * through signed, expiring links (the channel hands them out), so guests without accounts can too. Metadata is
 * in the {@code meeting_files} table. Thread-safe.
 */
public final class MeetingFiles {

    public static final String UPLOAD = "file-upload";
    public static final String DOWNLOAD = "file-download";
    private static final int MAX_NAME = 255;

    /** A shared file's metadata. */
    public record SharedFile(String fileId, String meetingId, String uploaderId, String uploaderName, String name,
                             String contentType, long size, String sha256, String objectKey, boolean ready,
                             Instant createdAt) {
    }

    /** A pending file and where to upload its bytes (a path on this API, signed, valid until {@code expires}). */
    public record Offer(SharedFile file, String uploadPath, Instant expires) {
    }

    private final Jdbi jdbi;
    private final FileStore store;
    private final MeetingSecrets secrets;
    private final FilesConfiguration configuration;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public MeetingFiles(Jdbi jdbi, FileStore store, MeetingSecrets secrets, FilesConfiguration configuration,
                        Clock clock) {
        this.jdbi = jdbi;
        this.store = store;
        this.secrets = secrets;
        this.configuration = configuration;
        this.clock = clock;
    }

    public long maxBytes() {
        return configuration.getMaxSize().toBytes();
    }

    /** Checks a file a participant wants to share and records it as pending; refuses with 400, 413 or 415. */
    public Offer offer(String meetingId, String uploaderId, String uploaderName, String rawName, long size,
                       String rawType) {
        String name = cleanName(rawName);
        String type = rawType == null ? "" : rawType.trim().toLowerCase(Locale.ROOT);
        if (size <= 0) {
            throw new ApiException(400, "empty_file", "The file is empty.", Map.of("size", "must be positive"));
        }
        if (size > maxBytes()) {
            throw new ApiException(413, "file_too_large", "Files may be at most " + human(maxBytes()) + "; this one"
                    + " is " + human(size) + ".", Map.of("size", size, "max_size", maxBytes()));
        }
        if (!configuration.getAllowedTypes().contains(type)) {
            throw new ApiException(415, "file_type_refused", "Files of type '" + (type.isEmpty() ? "unknown" : type)
                    + "' cannot be shared here.", Map.of("content_type", type,
                    "allowed_types", configuration.getAllowedTypes()));
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String fileId = "f_" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        SharedFile file = new SharedFile(fileId, meetingId, uploaderId, uploaderName, name, type, size, null,
                "meetings/" + meetingId + "/files/" + fileId, false, clock.instant());
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO meeting_files (id, meeting_id, uploader_id, "
                        + "uploader_name, name, content_type, size_bytes, object_key, status, created_at) VALUES "
                        + "(:id, :meeting, :uploader, :uploaderName, :name, :type, :size, :key, 'pending', :at)")
                .bind("id", fileId).bind("meeting", meetingId).bind("uploader", uploaderId)
                .bind("uploaderName", uploaderName).bind("name", name).bind("type", type).bind("size", size)
                .bind("key", file.objectKey()).bind("at", file.createdAt()).execute());
        Instant expires = clock.instant().plusSeconds(configuration.getLinkLifetime().toSeconds());
        return new Offer(file, link(UPLOAD, meetingId, fileId, expires), expires);
    }

    /**
     * Stores the bytes of an offered file from a signed upload link. The body must be exactly the offered size
     * and of the offered type; refuses with 403 (bad link), 404, 409 (already uploaded), 413 or 415.
     */
    public SharedFile upload(String meetingId, String fileId, long expires, String signature, String contentType,
                             long contentLength, InputStream body) {
        verify(UPLOAD, meetingId, fileId, expires, signature);
        SharedFile file = find(meetingId, fileId).orElseThrow(() -> notFound(fileId));
        if (file.ready()) {
            throw new ApiException(409, "already_uploaded", "This file was uploaded already.", Map.of());
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(file.contentType())) {
            throw new ApiException(415, "file_type_refused", "The upload must be of the offered type '"
                    + file.contentType() + "', not '" + type + "'.", Map.of("content_type", type));
        }
        if (contentLength > file.size() || contentLength > maxBytes()) {
            throw new ApiException(413, "file_too_large", "The upload is larger than the offered " + file.size()
                    + " bytes.", Map.of("size", contentLength, "max_size", file.size()));
        }
        if (contentLength >= 0 && contentLength != file.size()) {
            throw new ApiException(400, "size_mismatch", "The upload has " + contentLength + " bytes; "
                    + file.size() + " were offered.", Map.of("size", contentLength));
        }
        MessageDigest sha256 = sha256();
        try (InputStream limited = new DigestInputStream(new ExactLength(body, file.size()), sha256)) {
            store.put(file.objectKey(), file.contentType(), file.size(), limited);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        int updated = jdbi.withHandle(handle -> handle.createUpdate("UPDATE meeting_files SET status = 'ready', "
                        + "sha256 = :sha WHERE id = :id AND status = 'pending'")
                .bind("sha", digest).bind("id", fileId).execute());
        if (updated == 0) {
            throw new ApiException(409, "already_uploaded", "This file was uploaded already.", Map.of());
        }
        return new SharedFile(file.fileId(), file.meetingId(), file.uploaderId(), file.uploaderName(), file.name(),
                file.contentType(), file.size(), digest, file.objectKey(), true, file.createdAt());
    }

    /** A ready file for a signed download link, with its bytes (the caller closes the stream). */
    public Map.Entry<SharedFile, InputStream> download(String meetingId, String fileId, long expires,
                                                       String signature) {
        verify(DOWNLOAD, meetingId, fileId, expires, signature);
        SharedFile file = find(meetingId, fileId).filter(SharedFile::ready).orElseThrow(() -> notFound(fileId));
        return Map.entry(file, store.get(file.objectKey()));
    }

    /** The meeting's ready files, oldest first. */
    public List<SharedFile> list(String meetingId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM meeting_files WHERE meeting_id = :m "
                        + "AND status = 'ready' ORDER BY created_at, id LIMIT 500").bind("m", meetingId)
                .map((rs, ctx) -> row(rs)).list());
    }

    /** A signed download link for a member, valid for the configured lifetime. */
    public String downloadPath(SharedFile file) {
        return link(DOWNLOAD, file.meetingId(), file.fileId(),
                clock.instant().plusSeconds(configuration.getLinkLifetime().toSeconds()));
    }

    private Optional<SharedFile> find(String meetingId, String fileId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM meeting_files WHERE id = :id AND "
                        + "meeting_id = :m").bind("id", fileId).bind("m", meetingId)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    private static SharedFile row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SharedFile(rs.getString("id"), rs.getString("meeting_id"), rs.getString("uploader_id"),
                rs.getString("uploader_name"), rs.getString("name"), rs.getString("content_type"),
                rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("object_key"),
                "ready".equals(rs.getString("status")), rs.getTimestamp("created_at").toInstant());
    }

    private String link(String purpose, String meetingId, String fileId, Instant expires) {
        long seconds = expires.getEpochSecond();
        return "/api/v1/meetings/" + meetingId + "/files/" + fileId + "?expires=" + seconds + "&signature="
                + sign(purpose, meetingId, fileId, seconds);
    }

    private String sign(String purpose, String meetingId, String fileId, long expires) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secrets.linkSignature(purpose,
                meetingId + "/" + fileId + "/" + expires));
    }

    private void verify(String purpose, String meetingId, String fileId, long expires, String signature) {
        if (signature == null || signature.isEmpty()) {
            throw new ApiException(403, "link_invalid", "This link is not signed.", Map.of());
        }
        if (!MessageDigest.isEqual(sign(purpose, meetingId, fileId, expires).getBytes(),
                signature.getBytes())) {
            throw new ApiException(403, "link_invalid", "This link's signature does not match.", Map.of());
        }
        if (clock.instant().getEpochSecond() > expires) {
            throw new ApiException(403, "link_expired", "This link has expired; ask for a new one in the meeting.",
                    Map.of("expires", expires));
        }
    }

    private static ApiException notFound(String fileId) {
        return new ApiException(404, "file_not_found", "There is no file " + fileId + " in this meeting.",
                Map.of());
    }

    /** The name a file is stored and offered for download under: no path, no control characters. */
    static String cleanName(String raw) {
        String name = raw == null ? "" : raw.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new ApiException(400, "invalid_file_name", "The file needs a name.", Map.of("name", "required"));
        }
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    private static String human(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
        }
        return bytes >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0) : bytes + " bytes";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails the upload when the body is longer or shorter than the offered size. */
    private static final class ExactLength extends FilterInputStream {
        private final long expected;
        private long read;

        ExactLength(InputStream in, long expected) {
            super(in);
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(n);
            return n;
        }

        private void count(int n) throws IOException {
            if (n < 0) {
                if (read != expected) {
                    throw new ApiException(400, "size_mismatch", "The upload ended after " + read + " of "
                            + expected + " bytes.", Map.of("size", read));
                }
                return;
            }
            read += n;
            if (read > expected) {
                throw new ApiException(413, "file_too_large", "The upload is larger than the offered " + expected
                        + " bytes.", Map.of("max_size", expected));
            }
        }
    }
}
