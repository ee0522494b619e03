package io.pgsnapman.service.config.autojobs;

import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.pgtools.CredentialResolver;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.service.config.ConfigurationService;
import io.pgsnapman.service.config.api.AutoDumpJobSpec;
import io.pgsnapman.service.config.api.DumpJobSpec;
import io.pgsnapman.service.config.api.InvalidRequestException;
import io.pgsnapman.service.config.api.Resource;
import io.pgsnapman.service.config.api.ServerSpec;
import io.pgsnapman.service.config.settings.ConfigServiceProperties;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Like PgSnapMan's "auto dump job" rule: for each server that has one, lists its databases and creates a
 * FULL dump job (HALTED or ACTIVE, as the rule says) for every database that has no job yet and is not
 * excluded. Credentials are resolved locally as the workers do (never stored in the configuration
 * database). A server that cannot be reached is skipped with a warning and tried at the next scan.
 */
@Component
public class AutoDumpJobScanner {

    private static final Logger log = LoggerFactory.getLogger(AutoDumpJobScanner.class);

    private final ConfigurationService configuration;
    private final CredentialResolver credentials;
    private final ServerIntrospector introspector = new ServerIntrospector("pgsnapman-config-service");

    public AutoDumpJobScanner(ConfigurationService configuration, ConfigServiceProperties properties) {
        this.configuration = configuration;
        this.credentials = CredentialResolver.fromSystem(properties.credentialsDir());
    }

    /** Scans every server with a rule; returns how many jobs were created. */
    public int scan() {
        int created = 0;
        for (Resource<ServerSpec> server : configuration.servers()) {
            if (server.spec().autoDumpJob() != null && Boolean.TRUE.equals(server.spec().allowDumps())) {
                try {
                    created += scan(server);
                } catch (SQLException | RuntimeException e) {
                    log.warn("auto dump jobs: cannot list databases of server {} ({}): {}", server.spec().name(),
                            server.id(), e.getMessage());
                }
            }
        }
        return created;
    }

    private int scan(Resource<ServerSpec> server) throws SQLException {
        ServerSpec spec = server.spec();
        PgConnection connection = new PgConnection(spec.host(), spec.port(), spec.username(), spec.maintenanceDatabase(),
                spec.sslMode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                credentials.resolve(spec.credentialRef()).orElse(null));
        List<String> databases;
        try (Connection c = introspector.connect(connection)) {
            databases = introspector.listDatabases(c);
        }
        Set<String> covered = configuration.dumpJobs().stream()
                .filter(job -> job.spec().serverId().equals(server.id()) && job.spec().dumpType() == DumpType.FULL)
                .map(job -> job.spec().databaseName())
                .collect(Collectors.toSet());
        AutoDumpJobSpec rule = spec.autoDumpJob();
        int created = 0;
        for (String database : databases) {
            if (covered.contains(database) || rule.excludeDatabases().contains(database)) {
                continue;
            }
            DumpJobSpec job = new DumpJobSpec(jobName(spec.name(), database), server.id(), DumpType.FULL, database, null,
                    1, null, List.of(), List.of(), null, rule.jobState(), rule.cron(), rule.timeZone(), null, rule.retention(),
                    true, null, true, null, "created by the auto dump job rule of server " + spec.name(), null);
            try {
                Resource<DumpJobSpec> saved = configuration.saveDumpJob(null, job, true, "auto-dump-job");
                log.info("auto dump jobs: created {} job {} for {}/{}", rule.jobState(), saved.id(), spec.name(), database);
                created++;
            } catch (InvalidRequestException e) {
                log.warn("auto dump jobs: cannot create a job for {}/{}: {}", spec.name(), database, e.problems());
            }
        }
        return created;
    }

    /** A valid, readable job name for a server's database. */
    static String jobName(String serverName, String database) {
        String cleaned = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        String name = "auto-" + serverName + "-" + cleaned;
        return name.length() <= 63 ? name : name.substring(0, 63);
    }
}
