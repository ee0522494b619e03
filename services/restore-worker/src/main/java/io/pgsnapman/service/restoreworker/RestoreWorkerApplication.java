package io.pgsnapman.service.restoreworker;

import io.pgsnapman.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the restore-worker. Validates restore requests and restores dumps into target servers. */
@SpringBootApplication
public class RestoreWorkerApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    public static void main(String[] args) {
        SpringApplication.run(RestoreWorkerApplication.class, args);
    }
}
