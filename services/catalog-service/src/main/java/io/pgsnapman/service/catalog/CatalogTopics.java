package io.pgsnapman.service.catalog;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.ingest.ListenerConfiguration;
import io.pgsnapman.topicadmin.ServiceTopics;

/**
 * The topics catalog-service reads and writes (provisioned at start, and the only topics its code may name) and the
 * consumer group of its listeners; its Kafka ACLs are rendered from this.
 */
public final class CatalogTopics {

    public static final ServiceTopics DECLARED = ServiceTopics.of("catalog-service")
            .reads(Topics.DUMP_COMPLETED, Topics.RESTORE_COMPLETED, Topics.CONFIG_RESTORE_JOBS, Topics.CONFIG_DUMP_JOBS,
                    Topics.CONFIG_SERVERS, Topics.CATALOG_EVENTS, Topics.ACTIVITY)
            .writes(Topics.CATALOG_EVENTS, Topics.RESTORE_REQUESTED, Topics.ACTIVITY)
            .groups(ServiceTopics.Group.named(ListenerConfiguration.GROUP));

    private CatalogTopics() {}
}
