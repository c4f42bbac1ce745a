package io.tribune.platform;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Records every platform instance the extension handed to a test in this JVM, by identity. */
final class SharedPlatformWitness {

    private static final Set<EmbeddedPlatform> SEEN = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    private SharedPlatformWitness() {
    }

    /** Records {@code platform}; returns how many distinct instances have been seen so far. */
    static int saw(EmbeddedPlatform platform) {
        SEEN.add(platform);
        return SEEN.size();
    }
}
