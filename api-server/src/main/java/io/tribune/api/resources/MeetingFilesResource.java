package io.tribune.api.resources;

import io.tribune.api.api.SharedFileResponse;
import io.tribune.api.channel.ChannelServer;
import io.tribune.api.core.MeetingFiles;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /api/v1/meetings/{meeting_id}/files/{file_id}}: the bytes of a file shared in a meeting. Both requests
 * are authorised by the signed, expiring link the meeting channel hands out (members only, guests included): the
 * upload link after a {@code file.offer}, the download link in every {@code file.shared} notice and welcome.
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/meetings/{meeting_id}/files/{file_id}")
public final class MeetingFilesResource {

    private final MeetingFiles files;
    private final ChannelServer channel;

    MeetingFilesResource(MeetingFiles files, ChannelServer channel) {
        this.files = files;
        this.channel = channel;
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@PathParam("meeting_id") String meetingId, @PathParam("file_id") String fileId,
                           @QueryParam("expires") long expires, @QueryParam("signature") String signature,
                           @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Content-Length") Long contentLength, InputStream body) {
        MeetingFiles.SharedFile file = files.upload(meetingId, fileId, expires, signature, contentType,
                contentLength == null ? -1 : contentLength, body);
        SharedFileResponse view = SharedFileResponse.of(file, files.downloadPath(file));
        channel.announceFile(meetingId, view);
        return Response.status(201).entity(view).build();
    }

    @GET
    public Response download(@PathParam("meeting_id") String meetingId, @PathParam("file_id") String fileId,
                             @QueryParam("expires") long expires, @QueryParam("signature") String signature) {
        Map.Entry<MeetingFiles.SharedFile, InputStream> found = files.download(meetingId, fileId, expires,
                signature);
        MeetingFiles.SharedFile file = found.getKey();
        StreamingOutput bytes = out -> {
            try (InputStream in = found.getValue()) {
                in.transferTo(out);
            }
        };
        // Always an attachment, never rendered by the browser on our origin (an uploaded HTML or SVG cannot run).
        return Response.ok(bytes, file.contentType()).header("Content-Length", file.size())
                .header("Content-Disposition", "attachment; filename=\"" + file.name().replaceAll("[^\\x20-\\x7e]",
                        "_") + "\"; filename*=UTF-8''" + URLEncoder.encode(file.name(), StandardCharsets.UTF_8)
                        .replace("+", "%20"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "private, no-store").build();
    }

    static ApiException disabled() {
        return new ApiException(404, "files_disabled", "File sharing is not configured on this server.", Map.of());
    }
}
