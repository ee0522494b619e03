package io.pgsnapman.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import io.pgsnapman.schemas.TopicSpec;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.CatalogTopics;
import io.pgsnapman.service.config.ConfigServiceTopics;
import io.pgsnapman.service.dumpworker.DumpWorkerTopics;
import io.pgsnapman.service.restoreworker.RestoreWorkerTopics;
import io.pgsnapman.service.scheduler.SchedulerTopics;
import io.pgsnapman.topicadmin.ServiceTopics;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServiceBoundariesTest {

    private static final String SERVICES = "io.pgsnapman.service";
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pgsnapman");
    }

    @Test
    void everyServiceIsOnTheClasspathOfTheRules() {
        Set<String> servicePackages = production.stream()
                .map(JavaClass::getPackageName)
                .filter(p -> p.startsWith(SERVICES + "."))
                .map(p -> p.substring(SERVICES.length() + 1).split("\\.")[0])
                .collect(Collectors.toSet());

        assertThat(servicePackages).contains("config", "scheduler", "dumpworker", "restoreworker", "catalog");
    }

    @Test
    void servicesDoNotDependOnEachOther() {
        ServiceRules.servicesDoNotDependOnEachOther(SERVICES).check(production);
    }

    @Test
    void servicesDependOnlyOnContractsAndLibs() {
        ServiceRules.servicesUseOnlyContractsAndLibs("io.pgsnapman", SERVICES).check(production);
    }

    @Test
    void theRulesReportAServiceThatUsesAnother() {
        // Given fixture "services" where alpha uses a class of beta
        JavaClasses fixtures = new ClassFileImporter().importPackages("io.pgsnapman.architecture.fixture");

        // When the rules are evaluated on them
        EvaluationResult slices = ServiceRules.servicesDoNotDependOnEachOther("io.pgsnapman.architecture.fixture.service")
                .evaluate(fixtures);
        EvaluationResult contracts = ServiceRules.servicesUseOnlyContractsAndLibs(
                        "io.pgsnapman.architecture.fixture", "io.pgsnapman.architecture.fixture.service.alpha")
                .evaluate(fixtures);

        // Then both report the dependency
        assertThat(slices.hasViolation()).isTrue();
        assertThat(slices.getFailureReport().toString()).contains("AlphaUsesBeta", "Beta");
        assertThat(contracts.hasViolation()).isTrue();
    }

    @Test
    void everyServiceUsesOnlyTheTopicsItDeclaresAndDeclaresOnlyTopicsInUse() {
        // Given each service's one declaration of the topics it reads and writes
        Map<String, ServiceTopics> declarations = Map.of(
                "config", ConfigServiceTopics.DECLARED,
                "scheduler", SchedulerTopics.DECLARED,
                "dumpworker", DumpWorkerTopics.DECLARED,
                "restoreworker", RestoreWorkerTopics.DECLARED,
                "catalog", CatalogTopics.DECLARED);
        Map<String, Class<?>> declaringClasses = Map.of(
                "config", ConfigServiceTopics.class,
                "scheduler", SchedulerTopics.class,
                "dumpworker", DumpWorkerTopics.class,
                "restoreworker", RestoreWorkerTopics.class,
                "catalog", CatalogTopics.class);

        Set<TopicSpec<?>> namedByLibraries = DeclaredTopics.namedIn(production.that(
                DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(SERVICES + "..", "io.pgsnapman.schemas.."))),
                "io.pgsnapman", Void.class);

        declarations.forEach((service, declared) -> {
            // When the topics its code names are collected
            Set<TopicSpec<?>> named = DeclaredTopics.namedIn(production, SERVICES + "." + service,
                    declaringClasses.get(service));

            // Then it uses no topic it has not declared, and declares none that neither it nor a library names
            // (the activity reporter names the activity topic for the workers)
            assertThat(declared.all()).as(service).containsAll(named);
            assertThat(declared.all()).as(service).allMatch(topic -> named.contains(topic) || namedByLibraries.contains(topic));
        });
    }

    @Test
    void theTopicsAClassNamesAreFoundInItsCodeAndInItsAnnotations() {
        // Given a fixture class naming one topic by its name, another by its dead-letter topic, a third in an annotation
        JavaClasses fixtures = new ClassFileImporter().importPackages("io.pgsnapman.architecture.fixture.topics");

        // When its topics are collected
        Set<TopicSpec<?>> named = DeclaredTopics.namedIn(fixtures, "io.pgsnapman.architecture.fixture.topics", Void.class);

        // Then all three are found, and a constant of Topics that is not a topic is not
        assertThat(named).containsExactlyInAnyOrder(Topics.ACTIVITY, Topics.DUMP_COMPLETED, Topics.RESTORE_REQUESTED);
    }
}
