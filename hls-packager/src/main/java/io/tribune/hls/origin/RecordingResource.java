package io.tribune.hls.origin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Recordings from recording-archive's bucket: {@code GET|HEAD /recordings/<recording>/<path>} serves the object
 * {@code recordings/<recording>/<path>} (the composed MP4, poster, thumbnails, per-track files), with single byte
 * ranges (206, {@code Accept-Ranges}, {@code If-Range}) so a browser can seek an MP4, an {@code ETag}
 * ({@code If-None-Match} -> 304), and {@code ?download=1} for {@code Content-Disposition: attachment}. Signatures
 * are checked before this, by {@link SignatureFilter}: the policy the api-server signs names one recording's path.
 *
 * <p>Only paths made of plain name segments reach object storage: no {@code .}/{@code ..} segments, no empty
 * segments, nothing but letters, digits, {@code .}, {@code _} and {@code -} (400 otherwise). Missing objects are 404,
 * storage failures 503. Bytes are cacheable for {@code cacheMaxAge} only, so that a deleted recording leaves shared
 * caches soon (CloudFront is also invalidated on deletion where configured).
 *
 * <p>Thread-safe.
 */
@Path("/recordings/{recording}/{file: .+}")
public final class RecordingResource {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingResource.class);
    /** Recording ids are opaque tokens of the api-server (base64url). */
    private static final Pattern RECORDING_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final int MAX_SEGMENTS = 4;
    private static final Pattern RANGE = Pattern.compile("bytes=([0-9]{0,18})-([0-9]{0,18})");
    private static final Map<String, String> TYPES = Map.of("mp4", "video/mp4", "m4s", "video/mp4",
            "webm", "video/webm", "mkv", "video/x-matroska", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "vtt", "text/vtt", "m3u8", HlsResource.PLAYLIST_TYPE, "json", "application/json");

    private final S3Client s3;
    private final String bucket;
    private final String cacheControl;
    private final Meter served;
    private final Meter partial;
    private final Counter bytes;
    private final Counter notFound;
    private final Counter badPaths;
    private final Counter storageErrors;

    public RecordingResource(S3Client s3, String bucket, Duration cacheMaxAge, MetricRegistry metrics) {
        this.s3 = Objects.requireNonNull(s3);
        this.bucket = Objects.requireNonNull(bucket);
        this.cacheControl = "public, max-age=" + Math.max(0, cacheMaxAge.toSeconds());
        this.served = metrics.meter("hls.recordings.served");
        this.partial = metrics.meter("hls.recordings.partial");
        this.bytes = metrics.counter("hls.recordings.bytes");
        this.notFound = metrics.counter("hls.recordings.not_found");
        this.badPaths = metrics.counter("hls.recordings.bad_paths");
        this.storageErrors = metrics.counter("hls.recordings.storage_errors");
    }

    @GET
    public Response get(@PathParam("recording") String recordingId, @PathParam("file") String file,
                        @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                        @QueryParam("download") String download) {
        return serve(recordingId, file, range, ifRange, ifNoneMatch, download, true);
    }

    @HEAD
    public Response head(@PathParam("recording") String recordingId, @PathParam("file") String file,
                         @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                         @QueryParam("download") String download) {
        return serve(recordingId, file, range, ifRange, ifNoneMatch, download, false);
    }

    /**
     * The object key of {@code /recordings/<recordingId>/<file>}, or null when the path is not one the archive
     * writes (traversal, odd characters, too deep).
     */
    static String objectKey(String recordingId, String file) {
        if (recordingId == null || file == null || !RECORDING_ID.matcher(recordingId).matches()) {
            return null;
        }
        String[] segments = file.split("/", -1);
        if (segments.length > MAX_SEGMENTS) {
            return null;
        }
        for (String segment : segments) {
            // SEGMENT excludes "", "." and ".." (a segment never starts with a dot).
            if (!SEGMENT.matcher(segment).matches()) {
                return null;
            }
        }
        return "recordings/" + recordingId + "/" + file;
    }

    /** A satisfiable byte range of an object of {@code size} bytes: first and last byte, inclusive. */
    record ByteRange(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    /** Outcome of parsing a Range header: null = serve the whole object; UNSATISFIABLE = 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -2);

    /**
     * Parses one {@code bytes=} range (RFC 9110 14.1.2). Headers we do not support (other units, several ranges,
     * bad syntax) are ignored, which the RFC allows: the whole object is served.
     */
    static ByteRange parseRange(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first) {
            return null;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }

    private Response serve(String recordingId, String file, String rangeHeader, String ifRange, String ifNoneMatch,
                           String download, boolean withBody) {
        String key = objectKey(recordingId, file);
        if (key == null) {
            badPaths.inc();
            return HlsResource.error(Response.Status.BAD_REQUEST, "not a recording file path");
        }
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return missing();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return missing();
            }
            return storageFailed(key, e);
        } catch (RuntimeException e) {
            return storageFailed(key, e);
        }
        long size = head.contentLength() == null ? 0 : head.contentLength();
        String etag = head.eTag();
        if (etag != null && ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return Response.notModified().tag(unquoted(etag)).header(HttpHeaders.CACHE_CONTROL, cacheControl)
                    .build();
        }
        ByteRange range = parseRange(rangeHeader, size);
        if (range != null && ifRange != null && (etag == null || !ifRange.trim().equals(etag))) {
            range = null; // the client's copy is another version: send the whole object
        }
        if (range == UNSATISFIABLE) {
            // With a body: an error status without one goes through the container's sendError, which drops headers.
            return Response.status(416).type("text/plain").entity("range not satisfiable\n")
                    .header("Content-Range", "bytes */" + size)
                    .header("Accept-Ranges", "bytes").header(HttpHeaders.CACHE_CONTROL, CacheHeaders.NO_STORE)
                    .build();
        }
        Response.ResponseBuilder response = Response.status(range == null ? 200 : 206)
                .type(contentType(key, head.contentType()))
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(HttpHeaders.CONTENT_LENGTH, range == null ? size : range.length());
        if (etag != null) {
            response.header(HttpHeaders.ETAG, etag);
        }
        if (head.lastModified() != null) {
            response.lastModified(Date.from(head.lastModified()));
        }
        if (range != null) {
            response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        if (download != null) {
            String name = key.substring(key.lastIndexOf('/') + 1);
            response.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        }
        if (!withBody || size == 0) {
            return response.build();
        }
        (range == null ? served : partial).mark();
        ByteRange wanted = range;
        StreamingOutput body = out -> copy(key, wanted, out);
        return response.entity(body).build();
    }

    private void copy(String key, ByteRange range, OutputStream out) throws IOException {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> {
                b.bucket(bucket).key(key);
                if (range != null) {
                    b.range("bytes=" + range.first() + "-" + range.last());
                }
            });
        } catch (RuntimeException e) {
            storageErrors.inc();
            // Headers are gone already; failing the stream makes the client see a short body, not wrong bytes.
            throw new IOException("object storage failed for " + key + ": " + e.getMessage(), e);
        }
        try (InputStream body = in) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                bytes.inc(n);
            }
        }
    }

    private Response missing() {
        notFound.inc();
        // Short, like the cache lifetime of the bytes: a recording being rendered appears soon.
        return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                .header(HttpHeaders.CACHE_CONTROL, CacheHeaders.NOT_FOUND).entity("not found\n").build();
    }

    private Response storageFailed(String key, RuntimeException e) {
        storageErrors.inc();
        LOG.warn("object storage failed for {}: {}", key, e.toString());
        return HlsResource.error(Response.Status.SERVICE_UNAVAILABLE, "object storage is unavailable");
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String unquoted(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    static String contentType(String key, String stored) {
        int dot = key.lastIndexOf('.');
        String byName = dot < 0 ? null : TYPES.get(key.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (byName != null) {
            return byName;
        }
        return stored == null || stored.isBlank() ? "application/octet-stream" : stored;
    }
}
