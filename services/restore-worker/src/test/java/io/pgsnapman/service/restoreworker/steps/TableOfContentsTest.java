package io.pgsnapman.service.restoreworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableOfContentsTest {

    private static final String LISTING = """
            ;
            ; Archive created at 2026-11-21 19:00:00 UTC
            ;     dbname: shop
            ;
            6; 2615 16412 SCHEMA - ledger shop_owner
            3350; 0 0 COMMENT - SCHEMA ledger shop_owner
            215; 1259 16413 TABLE ledger entries shop_owner
            216; 1259 16418 TABLE public customers shop_owner
            3345; 0 16413 TABLE DATA ledger entries shop_owner
            3346; 0 16418 TABLE DATA public customers shop_owner
            3202; 2606 16417 CONSTRAINT ledger entries entries_pkey shop_owner
            3351; 0 0 ACL - SCHEMA ledger shop_owner
            3352; 0 0 ACL - SCHEMA public pg_database_owner
            """;

    private final TableOfContents toc = TableOfContents.parse(LISTING);

    @Test
    void commentLinesAreNotEntries() {
        assertThat(toc.entries()).hasSize(9);
        assertThat(toc.entries().get(0).id()).isEqualTo("6");
        assertThat(toc.entries().get(0).description()).isEqualTo("SCHEMA - ledger shop_owner");
    }

    @Test
    void tableDataIsListedPerSchema() {
        assertThat(toc.tableData(null)).extracting(t -> t[0] + "." + t[1]).containsExactly("ledger.entries", "public.customers");
        assertThat(toc.tableData("public")).extracting(t -> t[0] + "." + t[1]).containsExactly("public.customers");
    }

    @Test
    void ownersAreTheLastWordOfEachEntry() {
        assertThat(toc.owners()).containsExactly("shop_owner", "pg_database_owner");
    }

    @Test
    void aSchemaListAddsTheSchemaItsCommentAndItsPrivilegesToWhatTheSchemaSelectionChose() {
        // Given what pg_restore --list --schema=ledger chose: the schema's objects, not the schema itself
        TableOfContents selected = TableOfContents.parse("""
                215; 1259 16413 TABLE ledger entries shop_owner
                3345; 0 16413 TABLE DATA ledger entries shop_owner
                3202; 2606 16417 CONSTRAINT ledger entries entries_pkey shop_owner
                """);

        // When the list for that schema is made
        String list = toc.forSchema("ledger", selected);

        // Then it also creates the schema, keeps its comment and grants, in the dump's order, and nothing of public
        assertThat(list.lines().map(l -> l.substring(0, l.indexOf(';')))).containsExactly("6", "3350", "215", "3345", "3202",
                "3351");
    }

    @Test
    void publicIsNotCreatedAgain() {
        TableOfContents selected = TableOfContents.parse("216; 1259 16418 TABLE public customers shop_owner\n");

        assertThat(toc.forSchema("public", selected).lines()).containsExactly("216; 1259 16418 TABLE public customers shop_owner");
    }
}
