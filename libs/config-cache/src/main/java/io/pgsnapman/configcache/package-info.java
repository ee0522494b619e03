/**
 * Configuration rebuilt from the compacted {@code config.*} topics
 * ({@link io.pgsnapman.configcache.CompactedTopicCache}), so the scheduler and the workers never need
 * config-service to be up.
 */
package io.pgsnapman.configcache;
