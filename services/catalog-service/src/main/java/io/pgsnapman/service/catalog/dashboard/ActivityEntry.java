package io.pgsnapman.service.catalog.dashboard;

import io.pgsnapman.events.activity.ActivityEvent;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One activity event as the dashboard shows it. */
@Schema(description = "An activity event: progress, a state change or a log line of a dump, restore or service")
public record ActivityEntry(
        @Schema(description = "The event's id") String eventId,
        Instant occurredAt,
        @Schema(description = "The reporting service instance, e.g. dump-worker/w1") String source,
        @Schema(description = "PROGRESS, STATE or LOG") String kind,
        @Schema(description = "DEBUG, INFO, WARN or ERROR") String level,
        @Schema(description = "DUMP, RESTORE, …") String subjectType,
        String subjectId,
        String serverId,
        String jobId,
        String message,
        @Schema(description = "Progress: the phase, and done of total in unit, when kind is PROGRESS") String phase,
        Long done,
        Long total,
        String unit) {

    static ActivityEntry of(ActivityEvent e) {
        return new ActivityEntry(e.getHeader().getEventId(), e.getHeader().getOccurredAt(), e.getSource(),
                e.getKind().name(), e.getLevel().name(), e.getSubjectType().name(),
                e.getSubjectId(), e.getServerId(), e.getJobId(), e.getMessage(),
                e.getProgress() == null ? null : e.getProgress().getPhase(),
                e.getProgress() == null ? null : e.getProgress().getDone(),
                e.getProgress() == null ? null : e.getProgress().getTotal(),
                e.getProgress() == null ? null : e.getProgress().getUnit());
    }
}
