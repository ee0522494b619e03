package io.pgsnapman.service.catalog.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerificationJudgementTest {

    private static RestoreCompleted answer(Outcome outcome, Failure failure) {
        return RestoreCompleted.newBuilder().setHeader(SampleEvents.header()).setRestoreRequestId("verify-1").setOutcome(outcome)
                .setTargetServerId("v15").setTargetDatabaseName("pgsnapman_verify_1").setFinishedAt(Instant.EPOCH)
                .setFailure(failure).build();
    }

    private static Failure code(String code, boolean retriable) {
        return Failure.newBuilder().setCode(code).setRetriable(retriable).setReason("r").build();
    }

    @Test
    void aTestRestoreThatSucceededVerifiesTheDump() {
        assertThat(VerificationService.judge(answer(Outcome.SUCCEEDED, null))).isEqualTo(VerificationState.VERIFIED);
    }

    @Test
    void differencesDamageAndLoadErrorsAreTheDumpsFault() {
        assertThat(VerificationService.judge(answer(Outcome.FAILED, FailureCode.CONTENT_MISMATCH.failure("x").build())))
                .isEqualTo(VerificationState.FAILED);
        assertThat(VerificationService.judge(answer(Outcome.FAILED, FailureCode.CHECKSUM_MISMATCH.failure("x").build())))
                .isEqualTo(VerificationState.FAILED);
        assertThat(VerificationService.judge(answer(Outcome.FAILED, code("23505", false)))).isEqualTo(VerificationState.FAILED);
    }

    @Test
    void aTestRestoreThatCouldNotRunSaysNothingAboutTheDump() {
        assertThat(VerificationService.judge(answer(Outcome.FAILED, code("08001", true)))).isEqualTo(VerificationState.ERROR);
        assertThat(VerificationService.judge(answer(Outcome.FAILED, code("28P01", false)))).isEqualTo(VerificationState.ERROR);
        assertThat(VerificationService.judge(answer(Outcome.FAILED, FailureCode.WORKER_ERROR.failure("x").build())))
                .isEqualTo(VerificationState.ERROR);
        assertThat(VerificationService.judge(answer(Outcome.REJECTED,
                FailureCode.NOT_A_VERIFICATION_SERVER.failure("x").build()))).isEqualTo(VerificationState.ERROR);
    }
}
