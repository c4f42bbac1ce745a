package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.auth.Auth;
import io.tribune.api.auth.AuthenticatedUser;
import io.tribune.api.errors.ApiException;
import io.tribune.api.notify.Channel;
import io.tribune.api.notify.NotificationKind;
import io.tribune.api.notify.Notifications;
import io.tribune.api.notify.Preferences;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/users/me/notification_preferences}: the caller's preferences per channel ({@code email},
 * {@code push}, {@code in_app}) and kind, and the reminder lead time.
 *
 * <pre>{@code {"preferences":{"email":{"invitations":true,"reminders":false,...},"push":{...},"in_app":{...}},
 *  "reminder_lead_minutes":10,"channels":[...],"kinds":[{"kind","label","optional"}]}}</pre>
 *
 * {@code PUT} takes {@code preferences} (any subset of channels and kinds) and/or {@code reminder_lead_minutes};
 * what it leaves out stays. An unknown channel or kind, a value that is not a boolean, turning {@code account} off
 * or a lead time outside 0-1440 is a 400 naming the field. Thread-safe.
 */
@Path(ApiPaths.V1 + "/users/me/notification_preferences")
@Produces(MediaType.APPLICATION_JSON)
public final class NotificationPreferencesResource {

    private final Notifications notifications;

    public NotificationPreferencesResource(Notifications notifications) {
        this.notifications = notifications;
    }

    @GET
    public Map<String, Object> get(@Auth AuthenticatedUser caller) {
        return view(notifications.preferences(caller.userId()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> put(@Auth AuthenticatedUser caller, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid_preferences", "The body must be a JSON object with "
                    + "\"preferences\" and/or \"reminder_lead_minutes\"");
        }
        Preferences next = notifications.preferences(caller.userId());
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("preferences") && !name.equals("reminder_lead_minutes")) {
                throw new ApiException(400, "unknown_field", "Unknown field \"" + name + "\"; expected "
                        + "\"preferences\" or \"reminder_lead_minutes\"", Map.of("field", name));
            }
        }
        JsonNode grid = body.get("preferences");
        if (grid != null && !grid.isNull()) {
            if (!grid.isObject()) {
                throw invalid("preferences", "preferences must be an object of channels");
            }
            for (Iterator<Map.Entry<String, JsonNode>> channels = grid.fields(); channels.hasNext(); ) {
                Map.Entry<String, JsonNode> channelEntry = channels.next();
                Channel channel = Channel.of(channelEntry.getKey()).orElseThrow(() -> new ApiException(400,
                        "unknown_channel", "Unknown channel \"" + channelEntry.getKey() + "\"; channels are "
                        + Channel.keys(), Map.of("field", "preferences." + channelEntry.getKey())));
                if (!channelEntry.getValue().isObject()) {
                    throw invalid("preferences." + channel.key(), "preferences." + channel.key()
                            + " must be an object of kinds to true/false");
                }
                for (Iterator<Map.Entry<String, JsonNode>> kinds = channelEntry.getValue().fields();
                     kinds.hasNext(); ) {
                    Map.Entry<String, JsonNode> kindEntry = kinds.next();
                    String field = "preferences." + channel.key() + "." + kindEntry.getKey();
                    NotificationKind kind = NotificationKind.of(kindEntry.getKey()).orElseThrow(() ->
                            new ApiException(400, "unknown_kind", "Unknown kind \"" + kindEntry.getKey()
                                    + "\"; kinds are " + NotificationKind.keys(), Map.of("field", field)));
                    if (!kindEntry.getValue().isBoolean()) {
                        throw invalid(field, field + " must be true or false");
                    }
                    boolean on = kindEntry.getValue().booleanValue();
                    if (!on && !kind.optional()) {
                        throw new ApiException(400, "required_notification", kind.label()
                                + " cannot be turned off: they keep your account safe", Map.of("field", field));
                    }
                    next = next.with(channel, kind, on);
                }
            }
        }
        JsonNode lead = body.get("reminder_lead_minutes");
        if (lead != null && !lead.isNull()) {
            if (!lead.isIntegralNumber() || lead.asLong() < 0 || lead.asLong() > Preferences.MAX_LEAD_MINUTES) {
                throw invalid("reminder_lead_minutes", "reminder_lead_minutes must be a whole number of minutes "
                        + "from 0 to " + Preferences.MAX_LEAD_MINUTES);
            }
            next = next.withLeadMinutes(lead.intValue());
        }
        return view(notifications.save(caller.userId(), next));
    }

    static Map<String, Object> view(Preferences preferences) {
        Map<String, Object> grid = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            Map<String, Boolean> kinds = new LinkedHashMap<>();
            for (NotificationKind kind : NotificationKind.values()) {
                kinds.put(kind.key(), preferences.isOn(channel, kind));
            }
            grid.put(channel.key(), kinds);
        }
        List<Map<String, Object>> kinds = new ArrayList<>();
        for (NotificationKind kind : NotificationKind.values()) {
            kinds.add(Map.of("kind", kind.key(), "label", kind.label(), "optional", kind.optional()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("preferences", grid);
        view.put("reminder_lead_minutes", preferences.reminderLeadMinutes());
        view.put("channels", Channel.keys());
        view.put("kinds", kinds);
        return view;
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_preferences", message, Map.of("field", field));
    }
}
