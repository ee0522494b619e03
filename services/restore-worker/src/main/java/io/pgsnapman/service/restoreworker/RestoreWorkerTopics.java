package io.pgsnapman.service.restoreworker;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.topicadmin.ServiceTopics;

/** The topics restore-worker reads and writes: provisioned at start, and the only topics its code may name. */
public final class RestoreWorkerTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("restore-worker")
            .reads(Topics.CONFIG_SERVERS, Topics.CONFIG_RESTORE_JOBS, Topics.RESTORE_REQUESTED)
            .writes(Topics.RESTORE_COMPLETED, Topics.ACTIVITY)
            .groups(ServiceTopics.Group.prefix(RequestConsumer.GROUP_PREFIX));

    private RestoreWorkerTopics() {}
}
