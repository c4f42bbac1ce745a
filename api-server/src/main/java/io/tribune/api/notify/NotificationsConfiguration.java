package io.tribune.api.notify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;

/**
 * {@code notifications:} in the api-server's configuration.
 *
 * <ul>
 *   <li>{@code unsubscribeKey}: the secret the notification-worker signs {@code List-Unsubscribe} tokens with
 *       (its {@code unsubscribeKey}); empty: the unsubscribe endpoint refuses every token.</li>
 *   <li>{@code vapidPublicKey}: the worker's VAPID public key (base64url, uncompressed P-256 point), which browsers
 *       subscribe with; empty: push subscriptions are refused (503 {@code push_not_configured}).</li>
 *   <li>{@code followPushExpiries}: consume the worker's reports (consumer group {@code api-server-push-expiry}):
 *       delete the subscriptions of {@code notification.push_subscription_expired}, and put each
 *       {@code notification.reminder_due} in the invitee's bell and browsers; default true.</li>
 *   <li>{@code devMailboxUrl}: dev mode only ({@code tribune up} on embedded defaults sets it): the embedded SMTP
 *       server's read API; {@code /dev/mailbox} shows what it received. Unset: {@code /dev/mailbox} is 404.</li>
 * </ul>
 */
public final class NotificationsConfiguration {

    private String unsubscribeKey = "";
    private String vapidPublicKey = "";
    private URI devMailboxUrl;
    private boolean followPushExpiries = true;

    @JsonProperty
    public String getUnsubscribeKey() {
        return unsubscribeKey;
    }

    @JsonProperty
    public void setUnsubscribeKey(String unsubscribeKey) {
        this.unsubscribeKey = unsubscribeKey == null ? "" : unsubscribeKey;
    }

    @JsonProperty
    public String getVapidPublicKey() {
        return vapidPublicKey;
    }

    @JsonProperty
    public void setVapidPublicKey(String vapidPublicKey) {
        this.vapidPublicKey = vapidPublicKey == null ? "" : vapidPublicKey.strip();
    }

    @JsonProperty
    public URI getDevMailboxUrl() {
        return devMailboxUrl;
    }

    @JsonProperty
    public void setDevMailboxUrl(URI devMailboxUrl) {
        this.devMailboxUrl = devMailboxUrl;
    }

    @JsonProperty
    public boolean isFollowPushExpiries() {
        return followPushExpiries;
    }

    @JsonProperty
    public void setFollowPushExpiries(boolean followPushExpiries) {
        this.followPushExpiries = followPushExpiries;
    }
}
