package io.pgsnapman.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules that keep the services in separate rooms (docs/architecture.md, section 1), parameterised by where the
 * services live so the rules themselves can be tested on fixtures.
 */
final class ServiceRules {

    /** Packages a service may use besides its own: the event contracts and the libs. */
    static final List<String> SHARED_PACKAGES = List.of(
            "io.pgsnapman.events..", "io.pgsnapman.schemas..", "io.pgsnapman.registry..", "io.pgsnapman.pgtools..",
            "io.pgsnapman.repository..", "io.pgsnapman.topicadmin..", "io.pgsnapman.configcache..",
            "io.pgsnapman.cron..", "io.pgsnapman.apisecurity..", "io.pgsnapman.eventlisteners..",
            "io.pgsnapman.workconsumer..", "io.pgsnapman.activity..", "io.pgsnapman.deadletters..",
            "io.pgsnapman.worksteps..", "io.pgsnapman.metrics..");

    private ServiceRules() {}

    /** No service uses a class of another service. */
    static ArchRule servicesDoNotDependOnEachOther(String servicesPackage) {
        return slices().matching(servicesPackage + ".(*)..")
                .namingSlices("service $1")
                .should().notDependOnEachOther()
                .because("services share only the Avro contracts and the libs, never each other's code");
    }

    /** Inside the project, a service uses only its own code, the contracts and the libs (never test support). */
    static ArchRule servicesUseOnlyContractsAndLibs(String projectPackage, String servicesPackage) {
        List<String> allowed = new ArrayList<>(SHARED_PACKAGES);
        allowed.add(servicesPackage + "..");
        return noClasses().that().resideInAPackage(servicesPackage + "..")
                .should().dependOnClassesThat(resideInAPackage(projectPackage + "..")
                        .and(not(resideInAnyPackage(allowed.toArray(String[]::new)))))
                .because("a service depends only on schemas/avro and libs/*");
    }
}
