package io.pgsnapman.service.config;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.topicadmin.ServiceTopics;

/**
 * The topics config-service writes: created by the outbox relay's first round, and the only topics its code may
 * name.
 */
public final class ConfigServiceTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("config-service")
            .writes(Topics.CONFIG_SERVERS, Topics.CONFIG_DUMP_JOBS, Topics.CONFIG_RESTORE_JOBS, Topics.SCHEDULE_TICKS,
                    Topics.RESTORE_REQUESTED);

    private ConfigServiceTopics() {}
}
