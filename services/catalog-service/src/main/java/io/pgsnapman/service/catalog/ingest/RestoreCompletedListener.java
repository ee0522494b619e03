package io.pgsnapman.service.catalog.ingest;

import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.service.catalog.notify.Notifications;
import io.pgsnapman.service.catalog.notify.Notifier;
import io.pgsnapman.service.catalog.store.RestoreStore;
import io.pgsnapman.service.catalog.verification.VerificationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Records every restore outcome, and hands the outcomes of test restores (purpose VERIFY) to the verifications; the
 * offset is committed after the write, so nothing is lost while down.
 */
@Component
public class RestoreCompletedListener {

    private static final Logger log = LoggerFactory.getLogger(RestoreCompletedListener.class);

    private final RestoreStore store;
    private final VerificationService verification;
    private final Notifier notifier;

    public RestoreCompletedListener(RestoreStore store, VerificationService verification, Notifier notifier) {
        this.store = store;
        this.notifier = notifier;
        this.verification = verification;
    }

    @KafkaListener(id = "catalog-restore-completed", topics = "#{T(io.pgsnapman.schemas.Topics).RESTORE_COMPLETED.name()}",
            groupId = ListenerConfiguration.GROUP)
    public void onRestoreCompleted(RestoreCompleted event) {
        if (event.getPurpose() == RestorePurpose.VERIFY) {
            verification.completed(event);
            return;
        }
        store.record(event);
        log.info("recorded {} outcome of restore {}", event.getOutcome(), event.getRestoreRequestId());
        Notifications.of(event).ifPresent(notifier::notify);
    }
}
