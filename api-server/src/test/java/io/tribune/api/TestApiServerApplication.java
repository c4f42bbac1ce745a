package io.tribune.api;

import io.dropwizard.core.setup.Environment;

/** The real application plus {@link ProbeResource}. */
public class TestApiServerApplication extends ApiServerApplication {

    @Override
    public void run(ApiServerConfiguration configuration, Environment environment) {
        super.run(configuration, environment);
        environment.jersey().register(new ProbeResource());
    }
}
