package io.tribune.api.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserExportResponseTest {

    private final ObjectMapper mapper = Jackson.newObjectMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void writesBuiltInSectionsFirstThenContributedOnesAtTheTopLevel() throws Exception {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("meetings", List.of(Map.of("meeting_id", "m-1")));
        sections.put("recordings", List.of());
        UserExportResponse export = new UserExportResponse(Instant.parse("2026-11-26T10:00:00Z"),
                new UserResponse("u-1", "alice", "alice@example.org", "member", true,
                        Instant.parse("2026-01-01T00:00:00Z")),
                List.of(), List.of(), sections);

        JsonNode json = mapper.readTree(mapper.writeValueAsString(export));

        assertThat(json.fieldNames()).toIterable()
                .containsExactly("exported_at", "profile", "sessions", "audit_log", "meetings", "recordings");
        assertThat(json.path("exported_at").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(json.path("meetings").get(0).path("meeting_id").asText()).isEqualTo("m-1");
        assertThat(json.path("profile").path("user_id").asText()).isEqualTo("u-1");
    }
}
