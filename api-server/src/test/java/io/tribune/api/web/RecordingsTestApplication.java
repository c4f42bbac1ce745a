package io.tribune.api.web;

import io.dropwizard.core.setup.Environment;
import io.tribune.api.ApiServerApplication;
import io.tribune.api.ApiServerConfiguration;

/**
 * The real application plus {@link PlaybackEndpointsDouble}, which answers {@code POST .../playback} and
 * {@code POST .../download} (the shared contract of issue 8) until the real endpoints land in api-server. Delete
 * this class and use {@link ApiServerApplication} once they have: registering both is a Jersey conflict.
 */
public class RecordingsTestApplication extends ApiServerApplication {

    @Override
    public void run(ApiServerConfiguration configuration, Environment environment) {
        super.run(configuration, environment);
        environment.jersey().register(new PlaybackEndpointsDouble(jdbi(), configuration.getMeetings()));
    }
}
