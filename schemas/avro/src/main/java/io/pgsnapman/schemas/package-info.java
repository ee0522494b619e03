/**
 * The topic table ({@link io.pgsnapman.schemas.Topics}) tying each topic to its key and value types.
 * The event records themselves are generated from {@code src/main/avro} into {@code io.pgsnapman.events.*}.
 */
package io.pgsnapman.schemas;
