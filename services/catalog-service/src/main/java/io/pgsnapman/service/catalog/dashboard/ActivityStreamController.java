package io.pgsnapman.service.catalog.dashboard;

import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The activity stream for the dashboard (viewers): the latest events, then every new one as it happens, as
 * server-sent events ({@code event: activity}, the data an {@link ActivityEntry} as JSON), optionally only those of
 * one server or job. A comment every heartbeat keeps proxies from closing the stream and finds closed ones.
 */
@RestController
@RequestMapping("/api/v1/activity")
@SecurityRequirement(name = "bearer")
@Tag(name = "activity")
public class ActivityStreamController {

    private final ActivityFeed feed;
    private final Duration streamTimeout;
    private final Duration heartbeat;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "activity-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();

    public ActivityStreamController(ActivityFeed feed, CatalogServiceProperties properties) {
        this.feed = feed;
        this.streamTimeout = properties.dashboard().streamTimeout();
        this.heartbeat = properties.dashboard().heartbeat();
    }

    @Operation(summary = "The latest activity events, oldest first")
    @GetMapping
    public List<ActivityEntry> recent(
            @Parameter(description = "Only this server's") @RequestParam(required = false) String serverId,
            @Parameter(description = "Only this job's") @RequestParam(required = false) String jobId) {
        return feed.recent().stream().filter(e -> matches(e, serverId, jobId)).toList();
    }

    @Operation(summary = "The latest activity events, then each new one, as server-sent events (event name: activity)")
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(
            @Parameter(description = "Only this server's") @RequestParam(required = false) String serverId,
            @Parameter(description = "Only this job's") @RequestParam(required = false) String jobId) throws IOException {
        SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
        Consumer<ActivityEntry> send = entry -> {
            if (matches(entry, serverId, jobId)) {
                try {
                    emitter.send(SseEmitter.event().name("activity").id(entry.eventId()).data(entry, MediaType.APPLICATION_JSON));
                } catch (IOException e) {
                    throw new IllegalStateException("stream closed", e);
                }
            }
        };
        for (ActivityEntry entry : feed.recent()) {
            send.accept(entry);
        }
        feed.subscribe(send);
        ScheduledFuture<?> beating = heartbeats.scheduleWithFixedDelay(() -> {
            try {
                emitter.send(SseEmitter.event().comment("heartbeat"));
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
            }
        }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        open.add(emitter);
        Runnable end = () -> {
            feed.unsubscribe(send);
            beating.cancel(false);
            open.remove(emitter);
        };
        emitter.onCompletion(end);
        emitter.onTimeout(end);
        emitter.onError(e -> end.run());
        return emitter;
    }

    /**
     * Ends every open stream as soon as the service begins to stop (before the web server's graceful shutdown,
     * which would otherwise wait for them); the pages reconnect to another replica or when it is back.
     */
    @EventListener(ContextClosedEvent.class)
    public void closeStreams() {
        heartbeats.shutdownNow();
        open.forEach(SseEmitter::complete);
        open.clear();
    }

    private static boolean matches(ActivityEntry entry, String serverId, String jobId) {
        return (serverId == null || serverId.equals(entry.serverId())) && (jobId == null || jobId.equals(entry.jobId()));
    }
}
