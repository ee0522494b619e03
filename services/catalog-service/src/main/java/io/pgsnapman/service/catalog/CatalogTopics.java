package io.pgsnapman.service.catalog;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.topicadmin.ServiceTopics;

/** The topics catalog-service reads and writes: provisioned at start, and the only topics its code may name. */
public final class CatalogTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("catalog-service")
            .reads(Topics.DUMP_COMPLETED, Topics.RESTORE_COMPLETED, Topics.CONFIG_RESTORE_JOBS, Topics.CONFIG_DUMP_JOBS,
                    Topics.CONFIG_SERVERS, Topics.CATALOG_EVENTS, Topics.ACTIVITY)
            .writes(Topics.CATALOG_EVENTS, Topics.RESTORE_REQUESTED, Topics.ACTIVITY);

    private CatalogTopics() {}
}
