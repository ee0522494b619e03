package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3, with the USE_ROLE policy: creates the roles the dump refers to (the database owner, its ACL's grantees,
 * the owners in its table of contents) that the target lacks — as the roles dump defines them when one is given
 * (safe attributes and memberships only, see {@link GlobalRoles}, its checksums verified first), otherwise NOLOGIN.
 */
final class EnsureRoles implements Step<RestoreContext> {

    private static final Logger log = LoggerFactory.getLogger(EnsureRoles.class);

    private final DumpContents contents;

    EnsureRoles(DumpContents contents) {
        this.contents = contents;
    }

    @Override
    public String name() {
        return "ensure roles";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        if (restore.options.getRoles() != RolePolicy.USE_ROLE) {
            return;
        }
        Set<String> needed = rolesOf(restore.manifest);
        if (DumpKind.of(restore.manifest.dumpType()).restorableIntoDatabase()) {
            needed.addAll(contents.of(restore.tools, restore.files()).owners());
        }
        GlobalRoles definitions = rolesFrom(restore.rolesDump);
        try {
            createMissing(restore.admin, needed, definitions);
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }

    /** The roles the manifest names: the database owner and its ACL's grantees. */
    static Set<String> rolesOf(Manifest manifest) {
        Set<String> roles = new LinkedHashSet<>();
        if (manifest.database() != null) {
            roles.add(manifest.database().owner());
            manifest.database().acl().forEach(item -> DatabaseStatements.grantee(item).ifPresent(roles::add));
        }
        return roles;
    }

    private static GlobalRoles rolesFrom(DumpReader rolesDump) throws StepFailure {
        if (rolesDump == null) {
            return GlobalRoles.none();
        }
        List<DumpReader.ChecksumMismatch> mismatches = rolesDump.verify();
        if (!mismatches.isEmpty()) {
            throw StepFailure.failed(FailureCode.CHECKSUM_MISMATCH
                    .failure("dump '" + rolesDump.manifest().dumpId() + "' is damaged: " + mismatches)
                    .setField("options.rolesFromDumpId").build());
        }
        String file = DumpKind.of(rolesDump.manifest().dumpType()).scriptFile().orElseThrow();
        try {
            ByteArrayOutputStream script = new ByteArrayOutputStream();
            Optional<DumpReader.ChecksumMismatch> damage = rolesDump.copyFile(file, script);
            if (damage.isPresent()) {
                throw new IOException(damage.get().toString());
            }
            return GlobalRoles.parse(script.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw StepFailure.failed(FailureCode.UNREADABLE_DUMP
                    .failure("cannot read " + file + " of '" + rolesDump.manifest().dumpId() + "': " + e.getMessage())
                    .setField("options.rolesFromDumpId").build());
        }
    }

    private static void createMissing(Connection admin, Set<String> roles, GlobalRoles definitions) throws SQLException {
        List<String> created = new ArrayList<>();
        for (String role : roles) {
            if (!ServerCatalog.roleExists(admin, role)) {
                String create = definitions.createStatement(role)
                        .orElse("CREATE ROLE " + SqlIdentifiers.quote(role) + " NOLOGIN");
                ServerCatalog.execute(admin, create);
                created.add(role);
                log.info("created role {} needed by the dump: {}", role, create);
            }
        }
        for (String role : created) {
            for (GlobalRoles.Membership m : definitions.membershipsOf(role)) {
                if (ServerCatalog.roleExists(admin, m.group()) && ServerCatalog.roleExists(admin, m.member())) {
                    ServerCatalog.execute(admin, GlobalRoles.grantStatement(m));
                }
            }
        }
    }
}
