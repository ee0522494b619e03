package io.pgsnapman.service.catalog;

import io.pgsnapman.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the catalog-service. Keeps the catalog of every dump and restore, with verification and retention state, and serves its REST API. */
@SpringBootApplication
public class CatalogServiceApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    public static void main(String[] args) {
        SpringApplication.run(CatalogServiceApplication.class, args);
    }
}
