package io.tribune.ops;

/** Tribune's own version, from the jar manifest when packaged, else the build's. */
final class Version {

    static final String TRIBUNE = resolve();

    private Version() {
    }

    private static String resolve() {
        String fromManifest = Version.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : "0.1.0-SNAPSHOT";
    }
}
