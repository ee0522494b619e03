package io.pgsnapman.service.scheduler;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.topicadmin.ServiceTopics;

/** The topics scheduler-service reads and writes: provisioned at start, and the only topics its code may name. */
public final class SchedulerTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("scheduler-service")
            .reads(Topics.CONFIG_SERVERS, Topics.CONFIG_DUMP_JOBS, Topics.CONFIG_RESTORE_JOBS, Topics.DUMP_COMPLETED,
                    Topics.SCHEDULER_PROGRESS)
            .writes(Topics.SCHEDULE_TICKS, Topics.RESTORE_REQUESTED, Topics.SCHEDULER_PROGRESS);

    private SchedulerTopics() {}
}
