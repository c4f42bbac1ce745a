package io.tribune.api.resources;

import io.dropwizard.auth.Auth;
import io.tribune.api.api.PageResponse;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.errors.ApiException;
import io.tribune.api.notify.InAppNotifications;
import io.tribune.api.notify.Notifications;
import io.tribune.api.notify.UnsubscribeTokens;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/v1/notifications}: the caller's in-app notifications (unread first, paged; {@code unread} counts
 * the unread ones for the bell), marking them read, and the RFC 8058 one-click unsubscribe endpoint mail clients
 * POST to ({@code List-Unsubscribe=One-Click}, no login: the signed token is the authority). A GET of the
 * unsubscribe link (a person clicking it, or a link scanner) only shows a confirmation form, so no scanner
 * unsubscribes anyone. Thread-safe.
 */
@Path(ApiPaths.V1 + "/notifications")
@Produces(MediaType.APPLICATION_JSON)
public final class NotificationsResource {

    /** Set on the response: these pages answer whatever a browser or a client accepts. */
    private static final String HTML = "text/html; charset=utf-8";

    private final InAppNotifications inApp;
    private final Notifications notifications;
    private final UnsubscribeTokens tokens;

    public NotificationsResource(InAppNotifications inApp, Notifications notifications, UnsubscribeTokens tokens) {
        this.inApp = inApp;
        this.notifications = notifications;
        this.tokens = tokens;
    }

    @GET
    public Map<String, Object> list(@Auth AuthenticatedUser caller,
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = Paging.PAGE, message = Paging.PAGE_MESSAGE)
            String page,
            @QueryParam("size") @DefaultValue("20") @Pattern(regexp = Paging.SIZE, message = Paging.SIZE_MESSAGE)
            String size) {
        PageResponse<InAppNotifications.Item> items = inApp.page(caller.userId(), Integer.parseInt(page),
                Integer.parseInt(size));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("items", items.items().stream().map(NotificationsResource::item).toList());
        view.put("page", items.page());
        view.put("size", items.size());
        view.put("total", items.total());
        view.put("unread", inApp.unread(caller.userId()));
        return view;
    }

    @POST
    @Path("/{id}/read")
    public Map<String, Object> read(@Auth AuthenticatedUser caller, @PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
        if (!inApp.markRead(caller.userId(), uuid)) {
            throw notFound(id);
        }
        return Map.of("unread", inApp.unread(caller.userId()));
    }

    @POST
    @Path("/read_all")
    public Map<String, Object> readAll(@Auth AuthenticatedUser caller) {
        int marked = inApp.markAllRead(caller.userId());
        return Map.of("marked", marked, "unread", inApp.unread(caller.userId()));
    }

    /** RFC 8058 section 3.1: the mail client's POST with {@code List-Unsubscribe=One-Click}. */
    @POST
    @Path("/unsubscribe")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.WILDCARD)
    public Response unsubscribe(@QueryParam("token") String token) {
        // The body (List-Unsubscribe=One-Click, form-urlencoded or multipart) carries nothing the token does not.
        UnsubscribeTokens.Subject subject = tokens.verify(token).orElseThrow(() -> new ApiException(400,
                "invalid_unsubscribe_token", "This unsubscribe link is invalid or was altered"));
        if (!notifications.unsubscribe(subject)) {
            throw new ApiException(400, "invalid_unsubscribe_token", "This link names no kind of mail one can "
                    + "unsubscribe from", Map.of("category", subject.category()));
        }
        return Response.ok("Unsubscribed " + subject.email() + " from " + subject.category() + " mails.\n",
                "text/plain; charset=utf-8").build();
    }

    /** The link opened in a browser: a confirmation page whose button POSTs (never unsubscribes on GET). */
    @GET
    @Path("/unsubscribe")
    @Produces(MediaType.WILDCARD)
    public Response confirm(@QueryParam("token") String token) {
        UnsubscribeTokens.Subject subject = tokens.verify(token).orElseThrow(() -> new ApiException(400,
                "invalid_unsubscribe_token", "This unsubscribe link is invalid or was altered"));
        String html = "<!doctype html><meta charset=utf-8><title>Unsubscribe</title>"
                + "<body style=\"font:16px sans-serif;margin:3em\"><h1>Unsubscribe</h1><p>Stop sending "
                + escape(subject.category()) + " mails to " + escape(subject.email()) + "?</p>"
                + "<form method=post action=\"?token=" + escape(token) + "\">"
                + "<input type=hidden name=List-Unsubscribe value=One-Click>"
                + "<button type=submit>Unsubscribe</button></form>";
        return Response.ok(html, HTML).header("Content-Security-Policy", "default-src 'none'; "
                + "style-src 'unsafe-inline'; form-action 'self'").build();
    }

    private static Map<String, Object> item(InAppNotifications.Item item) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", item.id());
        view.put("kind", item.kind());
        view.put("title", item.title());
        view.put("body", item.body());
        view.put("url", item.url());
        view.put("created_at", item.createdAt().toString());
        view.put("read", item.readAt() != null);
        view.put("read_at", item.readAt() == null ? null : item.readAt().toString());
        return view;
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "notification_not_found", "No notification " + id, Map.of("id", id));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
