/**
 * Everything that touches PostgreSQL client tools and servers for the workers: tool location and version
 * checks ({@link io.pgsnapman.pgtools.PgToolset}), process execution with argument arrays
 * ({@link io.pgsnapman.pgtools.ToolRunner}), local credential resolution
 * ({@link io.pgsnapman.pgtools.CredentialResolver}), error classification
 * ({@link io.pgsnapman.pgtools.PgErrorClassifier}) and server facts over JDBC
 * ({@link io.pgsnapman.pgtools.ServerIntrospector}).
 */
package io.pgsnapman.pgtools;
