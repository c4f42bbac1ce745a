package io.tribune.hls.origin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.tribune.common.media.IngestFrame;
import io.tribune.hls.live.BlockingRequest;
import io.tribune.hls.live.EventRegistry;
import io.tribune.hls.live.LiveEvent;
import io.tribune.hls.live.LiveSettings;
import io.tribune.hls.live.Rendition;
import io.tribune.hls.storage.SegmentArchive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The media origin: {@code /hls/<event>/master.m3u8}, {@code /hls/<event>/<rendition>/index.m3u8} (with blocking
 * reload) and {@code /hls/<event>/<rendition>/<run>/<file>} (init, parts, segments, WebVTT), live from memory, or
 * from object storage once the event has left memory (replay). Signatures are checked before this, by
 * {@link SignatureFilter}.
 *
 * <p>Blocking requests never hold a Jetty thread: they are suspended and resumed on {@code responses} when the
 * rendition publishes what they wait for, or with 503 after three target durations.
 */
@Path("/hls/{event}")
public final class HlsResource {

    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final Pattern MEDIA_FILE = Pattern.compile("p([0-9]{1,18})\\.m4s");
    /** Every file name the packager writes; nothing else reaches memory lookups or object storage keys. */
    private static final Pattern FILE_NAME = Pattern.compile("init[0-9]{1,9}\\.mp4|[ps][0-9]{1,18}\\.m4s|s[0-9]{1,18}\\.vtt");

    private final EventRegistry registry;
    private final SegmentArchive archive;
    private final LiveSettings settings;
    private final Executor responses;
    private final Timer blockingWaits;
    private final Counter blockingTimeouts;
    private final Counter badRequests;

    public HlsResource(EventRegistry registry, SegmentArchive archive, LiveSettings settings, Executor responses,
                       MetricRegistry metrics) {
        this.registry = Objects.requireNonNull(registry);
        this.archive = archive;
        this.settings = Objects.requireNonNull(settings);
        this.responses = Objects.requireNonNull(responses);
        this.blockingWaits = metrics.timer("hls.origin.blocking_waits");
        this.blockingTimeouts = metrics.counter("hls.origin.blocking_timeouts");
        this.badRequests = metrics.counter("hls.origin.bad_requests");
    }

    @GET
    @Path("master.m3u8")
    public Response multivariant(@PathParam("event") String eventId) {
        if (!valid(eventId)) {
            return notFound();
        }
        LiveEvent event = registry.get(eventId);
        String playlist = event == null ? null : event.multivariant();
        if (playlist == null) {
            return fromArchive(eventId + "/master.m3u8", PLAYLIST_TYPE, CacheHeaders.ENDED_PLAYLIST);
        }
        return ok(playlist.getBytes(StandardCharsets.UTF_8), PLAYLIST_TYPE, CacheHeaders.MULTIVARIANT);
    }

    @GET
    @Path("{rendition}/index.m3u8")
    public void mediaPlaylist(@PathParam("event") String eventId, @PathParam("rendition") String name,
                              @QueryParam("_HLS_msn") String msn, @QueryParam("_HLS_part") String part,
                              @Suspended AsyncResponse async) {
        if (!valid(eventId) || !valid(name)) {
            async.resume(notFound());
            return;
        }
        LiveEvent event = registry.get(eventId);
        Rendition rendition = event == null ? null : event.rendition(name);
        if (rendition == null) {
            async.resume(fromArchive(eventId + "/" + name + "/index.m3u8", PLAYLIST_TYPE,
                    CacheHeaders.ENDED_PLAYLIST));
            return;
        }
        BlockingRequest request;
        try {
            request = BlockingRequest.parse(msn, part);
            rendition.checkLimits(request);
        } catch (IllegalArgumentException e) {
            badRequests.inc();
            async.resume(error(Response.Status.BAD_REQUEST, e.getMessage()));
            return;
        }
        if (!request.blocking()) {
            // No complete segment to list yet (video, or the subtitles that mirror the top rung): not found (briefly
            // cached) rather than a playlist a player rejects.
            async.resume(!rendition.listable() ? notFound()
                    : playlist(event, rendition, CacheHeaders.LIVE_PLAYLIST));
            return;
        }
        Timer.Context waiting = blockingWaits.time();
        rendition.awaitPlaylist(request)
                .orTimeout(settings.blockingTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((ignored, failure) -> {
                    waiting.stop();
                    if (failure != null) {
                        blockingTimeouts.inc();
                        async.resume(error(Response.Status.SERVICE_UNAVAILABLE,
                                "the requested segment or part did not appear in time"));
                    } else {
                        async.resume(playlist(event, rendition, CacheHeaders.BLOCKING_PLAYLIST));
                    }
                }, responses);
    }

    @GET
    @Path("{rendition}/{run}/{file}")
    public void file(@PathParam("event") String eventId, @PathParam("rendition") String name,
                     @PathParam("run") String run, @PathParam("file") String file, @Suspended AsyncResponse async) {
        if (!valid(eventId) || !valid(name) || !valid(run) || !FILE_NAME.matcher(file).matches()) {
            async.resume(notFound());
            return;
        }
        String type = file.endsWith(".vtt") ? "text/vtt" : "video/mp4";
        LiveEvent event = registry.get(eventId);
        Rendition rendition = event == null ? null : event.rendition(name);
        if (rendition == null || !rendition.runId().equals(run)) {
            async.resume(fromArchive(eventId + "/" + name + "/" + run + "/" + file, type, CacheHeaders.MEDIA));
            return;
        }
        byte[] bytes = rendition.file(file);
        if (bytes != null) {
            async.resume(ok(bytes, type, CacheHeaders.MEDIA));
            return;
        }
        var hinted = MEDIA_FILE.matcher(file);
        // The preload hint names the next part: hold the request until it is complete, then send it whole. "<="
        // also covers a part published between the lookup above and here (awaitPart then completes at once).
        if (hinted.matches() && Long.parseLong(hinted.group(1)) <= rendition.nextPartNumber()
                && !rendition.ended()) {
            rendition.awaitPart(Long.parseLong(hinted.group(1)))
                    .orTimeout(settings.blockingTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((ignored, failure) -> {
                        byte[] part = failure == null ? rendition.file(file) : null;
                        if (part != null) {
                            async.resume(ok(part, type, CacheHeaders.MEDIA));
                        } else if (failure instanceof TimeoutException) {
                            blockingTimeouts.inc();
                            async.resume(error(Response.Status.SERVICE_UNAVAILABLE, "the hinted part is late"));
                        } else {
                            async.resume(notFound());
                        }
                    }, responses);
            return;
        }
        async.resume(fromArchive(eventId + "/" + name + "/" + run + "/" + file, type, CacheHeaders.MEDIA));
    }

    private Response playlist(LiveEvent event, Rendition rendition, String cacheControl) {
        String text = rendition.playlist(rendition.hasParts() ? event.reportsExcept(rendition.name())
                : List.of());
        return ok(text.getBytes(StandardCharsets.UTF_8), PLAYLIST_TYPE,
                rendition.ended() ? CacheHeaders.ENDED_PLAYLIST : cacheControl);
    }

    private Response fromArchive(String key, String type, String cacheControl) {
        if (archive == null) {
            return notFound();
        }
        byte[] bytes;
        try {
            bytes = archive.get(key);
        } catch (RuntimeException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "object storage is unavailable");
        }
        return bytes == null ? notFound() : ok(bytes, type, cacheControl);
    }

    private static boolean valid(String name) {
        return IngestFrame.NAME.matcher(name).matches();
    }

    static Response ok(byte[] body, String type, String cacheControl) {
        return Response.ok(body, type).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }

    static Response notFound() {
        return Response.status(Response.Status.NOT_FOUND).type("text/plain").entity("not found\n")
                .header(HttpHeaders.CACHE_CONTROL, CacheHeaders.NOT_FOUND).build();
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type("text/plain").entity(message + "\n")
                .header(HttpHeaders.CACHE_CONTROL, CacheHeaders.NO_STORE).build();
    }
}
