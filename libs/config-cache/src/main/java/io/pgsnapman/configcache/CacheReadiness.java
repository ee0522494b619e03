package io.pgsnapman.configcache;

import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Spring Boot health of a service's configuration caches: UP once every cache has loaded its topic up to
 * the offsets seen at start, OUT_OF_SERVICE before. Put it in the readiness group so Kubernetes sends no
 * work to a replica that does not know its configuration yet.
 */
public final class CacheReadiness implements HealthIndicator {

    private final List<CompactedTopicCache<?>> caches;

    public CacheReadiness(List<CompactedTopicCache<?>> caches) {
        this.caches = List.copyOf(caches);
    }

    @Override
    public Health health() {
        Health.Builder builder = caches.stream().allMatch(CompactedTopicCache::isLoaded) ? Health.up() : Health.outOfService();
        for (CompactedTopicCache<?> cache : caches) {
            builder.withDetail(cache.topic(), cache.isLoaded() ? cache.keys().size() + " keys" : "loading");
        }
        return builder.build();
    }
}
