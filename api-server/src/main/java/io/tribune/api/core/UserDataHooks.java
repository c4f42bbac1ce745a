package io.tribune.api.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where other parts of api-server plug into the account lifecycle: {@link UserErasureListener}s run inside the
 * erasure transaction, {@link UserDataExporter}s add sections to the data export. Register them in
 * {@code ApiServerApplication.run()} (before the server starts serving).
 *
 * <p>Thread-safe: registration and iteration may happen concurrently; listeners run in registration order.
 */
public final class UserDataHooks {

    /** Sections of the export that the accounts code writes itself. */
    public static final Set<String> BUILT_IN_SECTIONS = Set.of("exported_at", "profile", "sessions", "audit_log");

    private final List<UserErasureListener> erasureListeners = new CopyOnWriteArrayList<>();
    private final List<UserDataExporter> exporters = new CopyOnWriteArrayList<>();
    private final Map<String, UserDataExporter> bySection = new ConcurrentHashMap<>();

    public void addErasureListener(UserErasureListener listener) {
        erasureListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @throws IllegalArgumentException when the section name is built in or taken by another exporter */
    public void addExporter(UserDataExporter exporter) {
        String section = Objects.requireNonNull(exporter, "exporter").section();
        if (section == null || !section.matches("[a-z][a-z0-9_]{0,62}") || BUILT_IN_SECTIONS.contains(section)) {
            throw new IllegalArgumentException("export section must be a snake_case name other than "
                    + BUILT_IN_SECTIONS + ": " + section);
        }
        if (bySection.putIfAbsent(section, exporter) != null) {
            throw new IllegalArgumentException("another exporter already writes section " + section);
        }
        exporters.add(exporter);
    }

    public List<UserErasureListener> erasureListeners() {
        return List.copyOf(erasureListeners);
    }

    public List<UserDataExporter> exporters() {
        return new ArrayList<>(exporters);
    }
}
