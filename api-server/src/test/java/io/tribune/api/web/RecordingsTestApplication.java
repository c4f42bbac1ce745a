package io.tribune.api.web;

import io.dropwizard.core.setup.Environment;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;
import io.tribune.api.resources.RecordingsResource;
import jakarta.ws.rs.Path;

import java.util.Arrays;

/**
 * The real application, plus {@link PlaybackEndpointsDouble} for {@code POST .../playback} and
 * {@code POST .../download} (issue 8's shared contract) only while {@link RecordingsResource} has no such
 * endpoints of its own: once they land the test runs against them unchanged (they sign with the same
 * {@code meetings.playback} key for the same {@code meetings.hlsBaseUrl}), and this class can go.
 */
public class RecordingsTestApplication extends ApiServerApplication {

    /** Whether api-server answers {@code POST /recordings/{id}/playback} itself. */
    static boolean realPlaybackEndpoints() {
        return Arrays.stream(RecordingsResource.class.getMethods())
                .map(method -> method.getAnnotation(Path.class))
                .anyMatch(path -> path != null && path.value().endsWith("/playback"));
    }

    @Override
    public void run(ApiServerConfiguration configuration, Environment environment) {
        super.run(configuration, environment);
        if (!realPlaybackEndpoints()) {
            environment.jersey().register(new PlaybackEndpointsDouble(jdbi(), configuration.getMeetings()));
        }
    }
}
