/**
 * JUnit 5 extensions that hand integration tests real parts and remove them afterwards: a Kafka broker
 * ({@link io.pgsnapman.testsupport.WithKafka}), the schema registry process
 * ({@link io.pgsnapman.testsupport.WithSchemaRegistry}) and throw-away PostgreSQL servers
 * ({@link io.pgsnapman.testsupport.WithPostgres}). Nothing here is a mock.
 */
package io.pgsnapman.testsupport;
