package io.pgsnapman.testsupport;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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

    public static Running start(Class<?> application, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        // As command-line arguments: they win over the service's own application.yml (default properties would not).
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplication app = new SpringApplicationBuilder(application).build();
        return new Running(app.run(args));
    }
}
