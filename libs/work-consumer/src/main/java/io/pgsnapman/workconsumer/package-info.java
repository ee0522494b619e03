/** Consuming long-running work items from Kafka: concurrency, per-key exclusivity, in-order commits, dead letters. */
package io.pgsnapman.workconsumer;
