package io.tribune.sfu.room;

import java.util.List;

/** A participant as the others learn of it: id, display name, role and announced tracks. Immutable. */
public record ParticipantInfo(String participantId, String name, String role, List<TrackInfo> tracks) {

    public ParticipantInfo {
        tracks = List.copyOf(tracks);
    }
}
