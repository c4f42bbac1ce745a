package io.tribune.recording.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Puts finished track files into the bucket with a multipart upload: every part carries its own SHA-256 checksum
 * (checked by the store), and the whole file's SHA-256 goes into the object's metadata ({@code sha256}) and into
 * recording.ready. Before the first part the upload id is handed to an {@link UploadLog}, and after completion or
 * abort it is removed, so uploads a killed process left behind can be aborted at the next start. Thread-safe.
 */
public final class ObjectStore {

    /** Where upload ids live while their upload runs (the archive's {@code uploads} table). */
    public interface UploadLog {
        /** Before the upload is created; returns a handle for the calls below. */
        long intended(String bucket, String key) throws Exception;

        void started(long handle, String uploadId) throws Exception;

        void ended(long handle) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
    public static final String SHA256_METADATA = "sha256";

    private final S3Client s3;
    private final String bucket;
    private final int partSize;

    public ObjectStore(S3Client s3, String bucket, long partSize) {
        if (partSize < 5L * 1024 * 1024 || partSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("part size must be 5 MiB .. 2 GiB");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = (int) partSize;
    }

    public String bucket() {
        return bucket;
    }

    /** Throws if the bucket cannot be reached (health check). */
    public void checkBucket() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    /** Creates the bucket if it is missing (for the embedded S3Proxy). */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Uploads {@code file} as {@code key}; on failure the multipart upload is aborted and the error rethrown. */
    public StoredObject upload(Path file, String key, String contentType, UploadLog log) throws Exception {
        String sha256 = sha256(file);
        long size = Files.size(file);
        long handle = log.intended(bucket, key);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .metadata(Map.of(SHA256_METADATA, sha256))).uploadId();
        log.started(handle, uploadId);
        try {
            List<CompletedPart> parts = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                int number = 1;
                do {
                    byte[] part = in.readNBytes(partSize);
                    if (part.length == 0 && number > 1) {
                        break;
                    }
                    String partChecksum = Base64.getEncoder().encodeToString(digest().digest(part));
                    int partNumber = number;
                    UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber).checksumSHA256(partChecksum), RequestBody.fromBytes(part));
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                            .checksumSHA256(response.checksumSHA256() != null ? response.checksumSHA256()
                                    : partChecksum).build());
                    number++;
                    if (part.length < partSize) {
                        break;
                    }
                } while (true);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (Exception e) {
            abortQuietly(key, uploadId);
            log.ended(handle);
            throw e;
        }
        log.ended(handle);
        return new StoredObject(key, size, sha256);
    }

    /** Downloads {@code key} into {@code file} (replaced if it exists). */
    public void download(String key, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        s3.getObject(b -> b.bucket(bucket).key(key), file);
    }

    /** Aborts an upload a previous process left; one already gone is fine. */
    public void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            LOG.debug("upload {} of {} already gone", uploadId, key);
        }
    }

    /** Aborts every unfinished upload of exactly {@code key}; returns how many. */
    public int abortAll(String key) {
        int aborted = 0;
        for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads()) {
            if (upload.key().equals(key)) {
                abort(key, upload.uploadId());
                aborted++;
            }
        }
        return aborted;
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            abort(key, uploadId);
        } catch (RuntimeException e) {
            LOG.warn("could not abort upload {} of {}: {}", uploadId, key, e.toString());
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
