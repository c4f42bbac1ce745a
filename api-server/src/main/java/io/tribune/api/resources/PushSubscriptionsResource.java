package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.errors.ApiException;
import io.tribune.api.notify.PushSubscriptions;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/push}: the VAPID public key browsers subscribe with ({@code applicationServerKey}), and the
 * caller's push subscriptions: {@code POST /subscriptions} with the browser's {@code PushSubscription.toJSON()}
 * ({@code {endpoint, keys:{p256dh, auth}}}), {@code DELETE /subscriptions?endpoint=...}.
 * Thread-safe.
 */
@Path(ApiPaths.V1 + "/push")
@Produces(MediaType.APPLICATION_JSON)
public final class PushSubscriptionsResource {

    private final PushSubscriptions subscriptions;
    private final String vapidPublicKey;

    public PushSubscriptionsResource(PushSubscriptions subscriptions, String vapidPublicKey) {
        this.subscriptions = subscriptions;
        this.vapidPublicKey = vapidPublicKey == null ? "" : vapidPublicKey;
    }

    /** Public: the key is public, and the page asks for it before the user decides. */
    @GET
    @Path("/vapid_public_key")
    public Map<String, String> vapidPublicKey() {
        requireConfigured();
        return Map.of("public_key", vapidPublicKey);
    }

    /** The caller's subscriptions (endpoints only; the keys stay on the server). */
    @GET
    @Path("/subscriptions")
    public Map<String, Object> list(@Auth AuthenticatedUser caller) {
        return Map.of("items", subscriptions.list(caller.userId()).stream()
                .map(s -> Map.of("subscription_id", s.id(), "endpoint", s.endpoint())).toList());
    }

    @POST
    @Path("/subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response subscribe(@Auth AuthenticatedUser caller, JsonNode body) {
        requireConfigured();
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid_subscription", "The body must be the browser's PushSubscription "
                    + "as JSON: {\"endpoint\", \"keys\": {\"p256dh\", \"auth\"}}");
        }
        PushSubscriptions.Subscription saved = subscriptions.register(caller.userId(), text(body.get("endpoint")),
                text(body.path("keys").get("p256dh")), text(body.path("keys").get("auth")));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subscription_id", saved.id());
        view.put("endpoint", saved.endpoint());
        return Response.status(201).entity(view).build();
    }

    @DELETE
    @Path("/subscriptions")
    public Response unsubscribe(@Auth AuthenticatedUser caller, @QueryParam("endpoint") String endpoint) {
        String which = endpoint;
        if (which == null || which.isBlank()) {
            throw new ApiException(400, "invalid_subscription", "Name the subscription: ?endpoint=...",
                    Map.of("field", "endpoint"));
        }
        if (!subscriptions.remove(caller.userId(), which)) {
            throw new ApiException(404, "subscription_not_found", "You have no push subscription with that "
                    + "endpoint");
        }
        return Response.noContent().build();
    }

    private void requireConfigured() {
        if (vapidPublicKey.isEmpty()) {
            throw new ApiException(503, "push_not_configured", "Browser notifications are not set up on this "
                    + "server (no VAPID key); ask the administrator");
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
