package io.tribune.api.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAccountsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Alice          | alice
            100%           | 100!%
            a_b            | a!_b
            wow!           | wow!!
            !%_            | !!!%!_
            ' OR 1=1 --    | ' or 1=1 --
            """)
    void escapesLikeWildcardsAndTheEscapeCharacterAndFoldsCase(String query, String pattern) {
        assertThat(AdminAccounts.likeEscape(query)).isEqualTo(pattern);
    }
}
