package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlIdentifiersTest {

    @Test
    void identifiersAreAlwaysQuotedWithEmbeddedQuotesDoubled() {
        assertThat(SqlIdentifiers.quote("Shop")).isEqualTo("\"Shop\"");
        assertThat(SqlIdentifiers.quote("a\"; DROP DATABASE x; --")).isEqualTo("\"a\"\"; DROP DATABASE x; --\"");
    }

    @Test
    void literalsDoubleSingleQuotes() {
        assertThat(SqlIdentifiers.literal("it's")).isEqualTo("'it''s'");
    }
}
