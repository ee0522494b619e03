package io.pgsnapman.service.catalog.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.service.catalog.store.VerificationStore;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What an outcome proves about a dump, and which dumps a test restore is for. */
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

    private static VerificationStore.DumpFacts facts(String outcome, String verification, String retention) {
        return new VerificationStore.DumpFacts("j/1", "j", outcome, verification, "15.8", 100, 200L, retention, Instant.EPOCH);
    }

    @Test
    void onlyASucceededKeptDumpWhoseChecksumsPassedIsTestRestoredAndTheOthersSayWhyNot() {
        assertThat(VerificationService.notRestorable(facts("SUCCEEDED", "VERIFIED", null))).isEmpty();
        assertThat(VerificationService.notRestorable(facts("FAILED", "NOT_VERIFIED", null))).contains("the dump FAILED");
        assertThat(VerificationService.notRestorable(facts("SUCCEEDED", "VERIFIED", "EXPIRED")))
                .contains("the dump is EXPIRED by retention");
        assertThat(VerificationService.notRestorable(facts("SUCCEEDED", "NOT_VERIFIED", null)))
                .contains("the dump is NOT_VERIFIED: only dumps whose checksums passed are test-restored");
        assertThat(facts("SUCCEEDED", "VERIFIED", null).needsBytes()).isEqualTo(200);
        assertThat(new VerificationStore.DumpFacts("j/1", "j", "SUCCEEDED", "VERIFIED", null, 100, null, null, Instant.EPOCH)
                .needsBytes()).isEqualTo(100);
    }
}
