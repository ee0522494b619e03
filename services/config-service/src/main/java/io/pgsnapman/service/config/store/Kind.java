package io.pgsnapman.service.config.store;

import io.pgsnapman.service.config.api.DumpJobSpec;
import io.pgsnapman.service.config.api.RestoreJobSpec;
import io.pgsnapman.service.config.api.ServerSpec;
import java.util.List;

/**
 * A kind of configuration item: its table, spec type, id prefix and the columns that reference other items.
 *
 * @param <S> spec type
 */
public record Kind<S>(String table, Class<S> specType, String idPrefix, String label, List<String> referenceColumns) {

    public static final Kind<ServerSpec> SERVER = new Kind<>("servers", ServerSpec.class, "srv", "server", List.of());
    public static final Kind<DumpJobSpec> DUMP_JOB = new Kind<>(
            "dump_jobs", DumpJobSpec.class, "job", "dump job", List.of("server_id", "database_name", "auto_created"));
    public static final Kind<RestoreJobSpec> RESTORE_JOB = new Kind<>(
            "restore_jobs", RestoreJobSpec.class, "rjob", "restore job", List.of("source_dump_job_id", "target_server_id"));
}
