/**
 * The dump repository ({@link io.pgsnapman.repository.DumpRepository}): one shared store of dumps, each a
 * directory of dump files plus a {@code manifest.json} written last, which marks the dump complete and
 * alone suffices to rebuild the catalog. {@link io.pgsnapman.repository.FilesystemDumpRepository} is the
 * directory (Kubernetes volume) implementation; object stores and dedup come later behind the same
 * interface.
 */
package io.pgsnapman.repository;
