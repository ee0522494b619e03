package io.pgsnapman.service.restoreworker;

import io.pgsnapman.schemas.AvroTrust;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the restore-worker. Validates restore requests and restores dumps into target servers. */
@SpringBootApplication
public class RestoreWorkerApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    /** The service's configuration file is {@code restore-worker.yml}, so services can share a classpath (tests). */
    public static final String CONFIG_NAME = "restore-worker";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(RestoreWorkerApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
        app.run(args);
    }
}
