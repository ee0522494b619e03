package io.pgsnapman.service.dumpworker;

import io.pgsnapman.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the dump-worker. Runs pg_dump and pg_dumpall for the ticks of its worker pool and writes dumps into the repository. */
@SpringBootApplication
public class DumpWorkerApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    public static void main(String[] args) {
        SpringApplication.run(DumpWorkerApplication.class, args);
    }
}
