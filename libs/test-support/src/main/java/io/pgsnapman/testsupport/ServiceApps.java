package io.pgsnapman.testsupport;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Starts a PgSnapMan service (a Spring Boot application) inside the test JVM with the given properties,
 * on a random HTTP port, so several services can run side by side against the same real parts.
 */
public final class ServiceApps {

    private ServiceApps() {}

    /** A started service; close it to stop it. */
    public record Running(ConfigurableApplicationContext context) implements AutoCloseable {

        public int port() {
            return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        }

        public String baseUrl() {
            return "http://127.0.0.1:" + port();
        }

        public <T> T bean(Class<T> type) {
            return context.getBean(type);
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /**
     * A service reads {@code <service-name>.yml} ({@code DumpWorkerApplication} → {@code dump-worker.yml}),
     * so several services can run from one classpath.
     */
    static String configName(Class<?> application) {
        String simple = application.getSimpleName().replaceFirst("Application$", "");
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static <T> void register(GenericApplicationContext context, Class<T> type, Object bean) {
        context.registerBean(type, () -> (T) bean);
    }

    public static Running start(Class<?> application, Map<String, Object> properties) {
        return start(application, properties, Map.of());
    }

    /**
     * With beans registered before the application's own configuration is read (e.g. a {@link MutableClock}
     * as the {@code Clock}, which the services define only when none exists).
     */
    public static Running start(Class<?> application, Map<String, Object> properties, Map<Class<?>, Object> beans) {
        Map<String, Object> all = new HashMap<>();
        all.put("spring.config.name", configName(application));
        all.put("server.port", "0");
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        // As command-line arguments: they win over the service's own application.yml (default properties would not).
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplication app = new SpringApplicationBuilder(application).build();
        app.addInitializers(context -> beans.forEach((type, bean) -> register((GenericApplicationContext) context, type, bean)));
        return new Running(app.run(args));
    }
}
