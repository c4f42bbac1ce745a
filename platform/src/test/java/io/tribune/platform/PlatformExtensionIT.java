package io.tribune.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PlatformExtension.class)
class PlatformExtensionIT {

    @Test
    void injectsTheSharedStartedPlatformAndItsUrls(EmbeddedPlatform platform, PlatformUrls urls) {
        assertThat(platform.isStarted()).isTrue();
        assertThat(platform).isSameAs(PlatformExtension.platform());
        assertThat(urls).isEqualTo(platform.urls());
        assertThat(platform.components()).hasSize(4).allMatch(Component::isRunning);
        assertThat(SharedPlatformWitness.saw(platform)).isEqualTo(1);
    }

    @Test
    void sharedPlatformServesTheTribuneDatabase(PlatformUrls urls) throws Exception {
        try (Connection connection = DriverManager.getConnection(urls.jdbcUrl(), urls.dbUser(), urls.dbPassword());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("tribune");
        }
    }
}
