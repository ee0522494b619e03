/**
 * Deduplicated storage: a {@link io.pgsnapman.repository.chunks.Chunker} cuts files at content-defined boundaries,
 * a {@link io.pgsnapman.repository.chunks.ChunkStore} keeps each chunk once under its SHA-256, compressed, and
 * {@link io.pgsnapman.repository.chunks.ChunkedFiles} stores and rebuilds whole files through a
 * {@link io.pgsnapman.repository.chunks.ChunkIndex}. See ADR 12 for the layout and how garbage collection stays
 * safe beside writers.
 */
package io.pgsnapman.repository.chunks;
