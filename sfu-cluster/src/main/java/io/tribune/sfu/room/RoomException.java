package io.tribune.sfu.room;

/**
 * A request the room refuses, with a machine-readable code for the client ({@code forbidden}, {@code bad_request},
 * {@code unknown_track}, {@code bad_sdp}, ...).
 */
public final class RoomException extends Exception {

    private final String code;

    public RoomException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
