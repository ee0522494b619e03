package io.pgsnapman.service.catalog.settings;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When catalog-service collects garbage and checks the repository by itself (under
 * {@code pgsnapman.catalog.maintenance}); a zero interval turns that off. Admins can run both at any time.
 *
 * @param checkEvery           how often the repository is checked
 * @param checkReadDataPercent share of the chunks a scheduled check reads back and re-hashes (the rest: present)
 * @param gcEvery              how often chunks no dump uses are removed
 * @param gcGrace              chunks used more recently than this are kept (a dump being written may need them)
 */
public record MaintenanceProperties(
        @DefaultValue("7d") @NotNull Duration checkEvery,
        @DefaultValue("10") @Min(0) @Max(100) int checkReadDataPercent,
        @DefaultValue("1d") @NotNull Duration gcEvery,
        @DefaultValue("1h") @NotNull Duration gcGrace) {}
