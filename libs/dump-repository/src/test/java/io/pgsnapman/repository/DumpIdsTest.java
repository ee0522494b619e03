package io.pgsnapman.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DumpIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"job-orders/20260329T013000Z", "0b9d2c7e-6d7f-4e8a-9d35-0c1f1f3a2b4c", "a.b_c/d-e/f"})
    void plainSegmentsAreValid(String id) {
        assertThat(DumpIds.requireValid(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "job/../../x", "/abs", "job//x", "job/", "sp ace", "job/.hidden"})
    void idsThatCouldLeaveTheRepositoryAreRefused(String id) {
        assertThatThrownBy(() -> DumpIds.requireValid(id)).isInstanceOf(IllegalArgumentException.class);
    }
}
