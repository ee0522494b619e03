package io.pgsnapman.service.scheduler;

import io.pgsnapman.schemas.AvroTrust;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the scheduler-service. Fires cron ticks for dump jobs and fans finished dumps out to restore requests. */
@SpringBootApplication
public class SchedulerServiceApplication {

    static {
        AvroTrust.trustEventClasses();
    }

    public static void main(String[] args) {
        SpringApplication.run(SchedulerServiceApplication.class, args);
    }
}
