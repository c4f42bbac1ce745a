package io.tribune.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tribune.api.core.MeetingRole;
import io.tribune.api.core.ParticipantSpec;
import io.tribune.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeetingRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<JsonNode> entries(String json) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        MAPPER.readTree(json).forEach(entries::add);
        return entries;
    }

    @Test
    void readsUserIdsEmailsAndRoleObjects() throws Exception {
        List<ParticipantSpec> specs = MeetingRequests.participants(entries(
                "[\"3f0c8a52-1b7e-4c1a-9a55-2c2f5d0e9b11\", \" bob@example.org \","
                        + " {\"email\": \"carol@example.org\", \"role\": \"co_host\"}, {\"user_id\": \"u-7\"}]"));

        assertThat(specs).containsExactly(
                new ParticipantSpec(0, "3f0c8a52-1b7e-4c1a-9a55-2c2f5d0e9b11", null, null),
                new ParticipantSpec(1, null, "bob@example.org", null),
                new ParticipantSpec(2, null, "carol@example.org", MeetingRole.CO_HOST),
                new ParticipantSpec(3, "u-7", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[null]|participants[0]",
            "[true]|participants[0]",
            "[\"\"]|participants[0]",
            "[\"two words\"]|participants[0]",
            "[\"a@b\"]|participants[0]",
            "[\"<x>@example.org\"]|participants[0]",
            "[{}]|participants[0]",
            "[{\"user_id\": \"u\", \"email\": \"e@example.org\"}]|participants[0]",
            "[{\"user_id\": \"e@example.org\"}]|participants[0].user_id",
            "[{\"email\": \"not-an-email\"}]|participants[0].email",
            "[{\"email\": \"e@example.org\", \"role\": \"host\"}]|participants[0].role",
            "[{\"email\": \"e@example.org\", \"role\": 3}]|participants[0].role",
            "[{\"email\": \"e@example.org\", \"colour\": \"red\"}]|participants[0].colour",
            "[\"ok@example.org\", 5]|participants[1]"})
    void namesTheEntryAtFault(String json, String field) {
        assertThatThrownBy(() -> MeetingRequests.participants(entries(json)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).containsKey(field);
                });
    }

    @Test
    void keepsTitlesVerbatimButRefusesControlCharactersAndOverlongOnes() {
        assertThat(MeetingRequests.title("  <b>Q3</b> ' OR 1=1 -- ")).isEqualTo("<b>Q3</b> ' OR 1=1 --");
        assertThatThrownBy(() -> MeetingRequests.title("a\u0000b")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> MeetingRequests.title("x".repeat(201))).isInstanceOf(ApiException.class);
        assertThat(MeetingRequests.displayName(null)).isNull();
        assertThatThrownBy(() -> MeetingRequests.displayName("tab\there")).isInstanceOf(ApiException.class);
    }

    @Test
    void readsTypedNumbersWithSpacesOrDashesAndJsonNumbers() {
        assertThat(MeetingJoinByNumberResource.numericId(MAPPER.valueToTree("123 4567-8901")))
                .isEqualTo(12345678901L);
        assertThat(MeetingJoinByNumberResource.numericId(MAPPER.valueToTree(12345678901L))).isEqualTo(12345678901L);
        assertThatThrownBy(() -> MeetingJoinByNumberResource.numericId(MAPPER.valueToTree("01234567890")))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> MeetingJoinByNumberResource.numericId(MAPPER.valueToTree(1.5)))
                .isInstanceOf(ApiException.class);
    }
}
