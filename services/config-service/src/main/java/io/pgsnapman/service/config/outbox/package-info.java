/** The transactional outbox: every committed configuration change reaches its compacted topic, an aborted one never. */
package io.pgsnapman.service.config.outbox;
