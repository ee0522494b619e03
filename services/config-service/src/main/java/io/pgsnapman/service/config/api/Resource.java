package io.pgsnapman.service.config.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;

/**
 * A stored configuration item as the API returns it: its id, revision and times, and its spec's fields.
 *
 * @param <S> spec type
 */
public record Resource<S>(String id, long revision, Instant createdAt, Instant updatedAt, @JsonUnwrapped S spec) {}
