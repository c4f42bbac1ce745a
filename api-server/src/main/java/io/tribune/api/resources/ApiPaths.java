package io.tribune.api.resources;

/** Path prefixes of the public API. */
public final class ApiPaths {

    /** Every REST resource lives under this prefix. */
    public static final String V1 = "/api/v1";

    private ApiPaths() {
    }
}
