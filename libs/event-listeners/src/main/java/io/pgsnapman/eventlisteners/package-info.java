/** Listener containers for Avro events with dead-letter handling ({@link io.pgsnapman.eventlisteners.AvroListeners}). */
package io.pgsnapman.eventlisteners;
