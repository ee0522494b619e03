package io.pgsnapman.service.config;

import io.pgsnapman.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the config-service. Owns the configuration database (servers, dump jobs, restore jobs), serves the REST API and publishes the config topics. */
@SpringBootApplication
public class ConfigServiceApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    public static void main(String[] args) {
        SpringApplication.run(ConfigServiceApplication.class, args);
    }
}
