package io.tribune.sfu.signaling;

import java.util.Set;

/**
 * What a verified join token grants: who (the api-server's participant id, the token's {@code sub}), which room,
 * the meeting role and the permissions ({@code publish}, {@code subscribe}, {@code screenshare}, {@code chat},
 * {@code moderate}, {@code record}). Immutable.
 */
public record JoinGrant(String participantId, String room, String role, String name, Set<String> permissions) {

    public JoinGrant {
        permissions = Set.copyOf(permissions);
    }
}
