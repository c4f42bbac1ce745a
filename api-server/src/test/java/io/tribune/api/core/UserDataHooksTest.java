package io.tribune.api.core;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDataHooksTest {

    private final UserDataHooks hooks = new UserDataHooks();

    private static UserDataExporter exporter(String section) {
        return new UserDataExporter() {
            @Override
            public String section() {
                return section;
            }

            @Override
            public Object export(Handle handle, UUID userId) {
                return section;
            }
        };
    }

    @Test
    void keepsExportersAndListenersInRegistrationOrder() {
        UserErasureListener first = (handle, userId, erasedBy) -> { };
        UserErasureListener second = (handle, userId, erasedBy) -> { };
        hooks.addErasureListener(first);
        hooks.addErasureListener(second);
        hooks.addExporter(exporter("meetings"));
        hooks.addExporter(exporter("recordings"));

        assertThat(hooks.erasureListeners()).containsExactly(first, second);
        assertThat(hooks.exporters()).extracting(UserDataExporter::section).containsExactly("meetings", "recordings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"profile", "sessions", "audit_log", "exported_at"})
    void refusesASectionNameTheExportUsesItself(String section) {
        assertThatThrownBy(() -> hooks.addExporter(exporter(section))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Meetings", "my-meetings", "1meetings", "meetings!"})
    void refusesASectionNameThatIsNotSnakeCase(String section) {
        assertThatThrownBy(() -> hooks.addExporter(exporter(section))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesASecondExporterForTheSameSection() {
        hooks.addExporter(exporter("meetings"));

        assertThatThrownBy(() -> hooks.addExporter(exporter("meetings")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meetings");
        assertThat(hooks.exporters()).hasSize(1);
    }
}
