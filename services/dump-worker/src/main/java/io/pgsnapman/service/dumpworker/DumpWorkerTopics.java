package io.pgsnapman.service.dumpworker;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.topicadmin.ServiceTopics;

/** The topics dump-worker reads and writes: provisioned at start, and the only topics its code may name. */
public final class DumpWorkerTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("dump-worker")
            .reads(Topics.CONFIG_SERVERS, Topics.SCHEDULE_TICKS, Topics.CATALOG_EVENTS)
            .writes(Topics.DUMP_COMPLETED, Topics.ACTIVITY, Topics.CATALOG_EVENTS)
            .groups(ServiceTopics.Group.prefix(TickConsumer.GROUP_PREFIX), ServiceTopics.Group.named(ExpiryConsumer.GROUP));

    private DumpWorkerTopics() {}
}
