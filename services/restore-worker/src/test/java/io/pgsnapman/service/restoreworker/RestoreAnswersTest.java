package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.testsupport.events.SampleEvents;
import org.junit.jupiter.api.Test;

class RestoreAnswersTest {

    @Test
    void anAnswerReadBackIsTheAnswerKept() {
        RestoreCompleted answer = SampleEvents.restoreCompleted();

        assertThat(RestoreAnswers.decode(RestoreAnswers.encode(answer))).isEqualTo(answer);
    }

    @Test
    void aRequestIdOfAnyTextNamesOneRecordInsideTheRepository() {
        String name = RestoreAnswers.recordName("ci/../../etc/passwd \"; DROP");

        assertThat(name).matches("restores/[0-9a-f]{64}");
        assertThat(RestoreAnswers.recordName("ci/../../etc/passwd \"; DROP")).isEqualTo(name);
        assertThat(RestoreAnswers.recordName("another id")).isNotEqualTo(name);
    }

    @Test
    void aDamagedStoredAnswerIsAClearError() {
        assertThatThrownBy(() -> RestoreAnswers.decode(new byte[] {1, 2, 3})).hasMessageContaining("unreadable stored restore answer");
    }
}
