package io.tribune.api.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.core.MeetingsConfiguration;
import io.tribune.common.cdn.CloudFrontSigner;
import io.tribune.common.cdn.PemKeys;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for the playback and download endpoints of issue 8's shared contract, for the web client's browser
 * test until the real ones land: {@code POST /api/v1/recordings/{id}/playback} answers URLs under
 * {@code <hlsBaseUrl>/recordings/{id}/view/} signed with one custom policy (the same CloudFront-style signer and
 * key the api-server uses for town halls), 404 {@code recording_not_playable} without a composed file;
 * {@code POST .../download {"file"}} answers one signed URL. Access: the recording's host or an admin (else 404).
 * No audit entries. Thread-safe.
 */
@Path("/api/v1/recordings/{recording_id}/{action: playback|download}")
@Produces(MediaType.APPLICATION_JSON)
public final class PlaybackEndpointsDouble {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final String base;
    private final CloudFrontSigner signer;
    private final java.time.Duration ttl;

    PlaybackEndpointsDouble(Jdbi jdbi, MeetingsConfiguration meetings) {
        this.jdbi = jdbi;
        this.base = meetings.getHlsBaseUrl().toString().replaceAll("/+$", "");
        this.ttl = meetings.getPlayback().getTtl().toJavaDuration();
        try {
            this.signer = new CloudFrontSigner(meetings.getPlayback().getKeyPairId(), PemKeys.privateKey(
                    Files.readString(java.nio.file.Path.of(meetings.getPlayback().getPrivateKeyFile()), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("meetings.playback.privateKeyFile is not an RSA key", e);
        }
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response answer(@Auth AuthenticatedUser user, @PathParam("recording_id") String recordingId,
                           @PathParam("action") String action, String body) throws IOException {
        Optional<Map<String, Object>> row = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT host_id, files::text AS files FROM recordings WHERE id = :id AND status = 'ready'")
                .bind("id", recordingId).mapToMap().findOne());
        if (row.isEmpty() || !(user.isAdmin() || user.userId().equals(row.get().get("host_id")))) {
            return error(404, "recording_not_found", "No recording " + recordingId + ".");
        }
        JsonNode files = JSON.readTree((String) row.get().get("files"));
        Instant expires = Instant.now().plus(ttl);
        String prefix = base + "/recordings/" + recordingId + "/";
        if (action.equals("playback")) {
            if (find(files, "composed", null) == null) {
                return error(404, "recording_not_playable", "This recording has no composed video.");
            }
            String view = prefix + "view/";
            String signedVideo = signer.signUrl(view + "recording.mp4", view + "*", expires);
            String signedQuery = signedVideo.substring(signedVideo.indexOf('?') + 1);
            return Response.ok(new Playback(recordingId, expires, view + "recording.mp4?" + signedQuery,
                    view + "poster.jpg?" + signedQuery, view + "thumbnails.vtt?" + signedQuery, signedQuery)).build();
        }
        String wanted = body == null || body.isBlank() ? "" : JSON.readTree(body).path("file").asText();
        JsonNode file = wanted.equals("composed") ? find(files, "composed", null) : find(files, "track", wanted);
        if (file == null) {
            return error(404, "file_not_found", "No file " + wanted + " in this recording.");
        }
        String url = base + "/" + file.path("object_key").asText() + "?download=1"; // the origin: attachment
        String key = file.path("object_key").asText();
        Map<String, Object> download = new LinkedHashMap<>();
        download.put("url", signer.signUrl(url, url, expires));
        download.put("expires_at", expires.toString());
        download.put("file_name", key.substring(key.lastIndexOf('/') + 1));
        download.put("content_type", file.path("content_type").asText());
        download.put("size_bytes", file.path("size_bytes").asLong());
        return Response.ok(download).build();
    }

    private static JsonNode find(JsonNode files, String kind, String trackId) {
        for (JsonNode file : files) {
            if (file.path("kind").asText().equals(kind)
                    && (trackId == null || file.path("track_id").asText().equals(trackId))) {
                return file;
            }
        }
        return null;
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", code, "message", message, "details", Map.of())).build();
    }

    /** The contract's playback answer. */
    record Playback(@JsonProperty("recording_id") String recordingId,
                    @JsonProperty("expires_at") Instant expiresAt,
                    @JsonProperty("video_url") String videoUrl,
                    @JsonProperty("poster_url") String posterUrl,
                    @JsonProperty("thumbnails_vtt_url") String thumbnailsVttUrl,
                    @JsonProperty("signed_query") String signedQuery) {
    }
}
