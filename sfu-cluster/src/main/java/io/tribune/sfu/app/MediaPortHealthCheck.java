package io.tribune.sfu.app;

import com.codahale.metrics.health.HealthCheck;
import io.tribune.sfu.room.Rooms;

/** Healthy while the node serves: reports its rooms and participants (its load, for placement later). */
public final class MediaPortHealthCheck extends HealthCheck {

    public static final String NAME = "media";

    private final int port;
    private final Rooms rooms;

    public MediaPortHealthCheck(int port, Rooms rooms) {
        this.port = port;
        this.rooms = rooms;
    }

    @Override
    protected Result check() {
        return Result.builder().healthy().withDetail("udp_port", port).withDetail("rooms", rooms.roomCount())
                .withDetail("participants", rooms.participantCount()).build();
    }
}
