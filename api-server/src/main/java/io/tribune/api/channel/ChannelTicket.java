package io.tribune.api.channel;

import java.util.List;

/**
 * Who a channel connection belongs to, from its join token: the meeting, the participant (user id or guest id),
 * the name others see, the meeting role and the permissions. Immutable.
 */
record ChannelTicket(String meetingId, String participantId, String userId, String name, String role,
                     List<String> permissions) {

    ChannelTicket {
        permissions = List.copyOf(permissions);
    }

    boolean may(String permission) {
        return permissions.contains(permission);
    }
}
