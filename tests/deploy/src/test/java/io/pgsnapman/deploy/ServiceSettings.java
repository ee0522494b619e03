package io.pgsnapman.deploy;

import io.pgsnapman.service.catalog.CatalogServiceApplication;
import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.pgsnapman.service.config.ConfigServiceApplication;
import io.pgsnapman.service.config.settings.ConfigServiceProperties;
import io.pgsnapman.service.dumpworker.DumpWorkerApplication;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.service.restoreworker.RestoreWorkerApplication;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import io.pgsnapman.service.scheduler.SchedulerServiceApplication;
import io.pgsnapman.service.scheduler.settings.SchedulerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings a service understands, as environment variable names (Spring Boot's relaxed binding: dots to
 * underscores, dashes dropped, upper case): the variables its own {@code <service>.yml} reads ({@code ${NAME:…}}),
 * every key of its {@code @ConfigurationProperties} record (nested records followed; none has a map), and Spring Boot's own keys from
 * the configuration metadata of the jars on its class path (a map-valued key accepts any variable under it).
 */
final class ServiceSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");
    /** Settings of the JVM itself, which every image honours. */
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");
    private static final Set<String> BOOT = new HashSet<>();
    private static final Set<String> BOOT_MAPS = new HashSet<>();

    private final Set<String> variables = new HashSet<>();

    private ServiceSettings(String configName, Class<?> properties) {
        try (InputStream yml = ServiceSettings.class.getClassLoader().getResourceAsStream(configName + ".yml")) {
            if (yml == null) {
                throw new AssertionError("no " + configName + ".yml on the class path");
            }
            Matcher m = PLACEHOLDER.matcher(new String(yml.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                variables.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys(properties.getAnnotation(ConfigurationProperties.class).value(), properties)
                .forEach(key -> variables.add(environmentName(key)));
    }

    static ServiceSettings of(String service) {
        return switch (service) {
            case "config-service" -> new ServiceSettings(ConfigServiceApplication.CONFIG_NAME, ConfigServiceProperties.class);
            case "scheduler-service" -> new ServiceSettings(SchedulerServiceApplication.CONFIG_NAME, SchedulerProperties.class);
            case "dump-worker" -> new ServiceSettings(DumpWorkerApplication.CONFIG_NAME, DumpWorkerProperties.class);
            case "restore-worker" -> new ServiceSettings(RestoreWorkerApplication.CONFIG_NAME, RestoreWorkerProperties.class);
            case "catalog-service" -> new ServiceSettings(CatalogServiceApplication.CONFIG_NAME, CatalogServiceProperties.class);
            default -> throw new AssertionError("no service " + service);
        };
    }

    /** Whether the service reads this environment variable. */
    boolean accepts(String variable) {
        if (variables.contains(variable) || JVM.contains(variable)) {
            return true;
        }
        bootKeys();
        return BOOT.contains(variable) || BOOT_MAPS.stream().anyMatch(prefix -> variable.startsWith(prefix + "_"));
    }

    /**
     * For a value naming a property of a mounted Secret ({@code ${kafka.sasl.jaas.config}}, read through
     * {@code spring.config.import=configtree:/etc/pgsnapman/secrets/}): what is missing when no volume is mounted
     * where that property's file would be.
     */
    Optional<String> missingSecretFile(String value, List<String> mounts) {
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            String property = m.group(1);
            if (!property.contains(".")) {
                continue;
            }
            String dir = "/etc/pgsnapman/secrets/" + property.substring(0, property.indexOf('.'));
            if (!mounts.contains(dir)) {
                return Optional.of("${" + property + "} but nothing mounted at " + dir);
            }
        }
        return Optional.empty();
    }

    static String environmentName(String key) {
        return key.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
    }

    /** Every key of a configuration record under {@code prefix}, kebab-case, nested records followed. */
    static Set<String> keys(String prefix, Class<?> type) {
        Set<String> keys = new HashSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "." + kebab(component.getName());
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                keys.addAll(keys(key, componentType));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static synchronized void bootKeys() {
        if (!BOOT.isEmpty()) {
            return;
        }
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (String name : List.of("META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json")) {
                for (URL url : Collections.list(ServiceSettings.class.getClassLoader().getResources(name))) {
                    try (InputStream in = url.openStream()) {
                        JsonNode properties = json.readTree(in).path("properties");
                        for (JsonNode property : properties) {
                            String key = property.path("name").asString();
                            BOOT.add(environmentName(key));
                            if (property.path("type").asString("").startsWith("java.util.Map")) {
                                BOOT_MAPS.add(environmentName(key));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
