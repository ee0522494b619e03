package io.pgsnapman.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
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
}
