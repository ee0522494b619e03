package io.pgsnapman.service.scheduler;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.scheduler.settings.SchedulerProperties;
import io.pgsnapman.topicadmin.ServiceTopics;

/**
 * The topics scheduler-service reads and writes (provisioned at start, and the only topics its code may name), its
 * consumer groups (the leader election and the fan-out) and its transactional id; its Kafka ACLs are rendered from
 * this. A changed {@code transactional-id} needs the same change in its ACLs.
 */
public final class SchedulerTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("scheduler-service")
            .reads(Topics.CONFIG_SERVERS, Topics.CONFIG_DUMP_JOBS, Topics.CONFIG_RESTORE_JOBS, Topics.DUMP_COMPLETED,
                    Topics.SCHEDULER_PROGRESS)
            .writes(Topics.SCHEDULE_TICKS, Topics.RESTORE_REQUESTED, Topics.SCHEDULER_PROGRESS)
            .groups(ServiceTopics.Group.named(SchedulerLeadership.GROUP), ServiceTopics.Group.named(FanOutListener.GROUP))
            .transactionalIds(SchedulerProperties.DEFAULT_TRANSACTIONAL_ID);

    private SchedulerTopics() {}
}
