package io.tribune.sfu.room;

import java.util.Map;

/**
 * The outcome of an offer: the SDP answer, and which published track each of the offerer's receiving sections
 * now carries (by mid). Immutable.
 */
public record Negotiated(String answer, Map<String, TrackInfo> subscriptions) {

    public Negotiated {
        subscriptions = Map.copyOf(subscriptions);
    }
}
