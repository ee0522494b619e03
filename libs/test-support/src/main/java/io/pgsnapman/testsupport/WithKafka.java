package io.pgsnapman.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test a real Kafka broker: one per test JVM, started on first use and stopped when the run ends.
 * Inject {@link KafkaBroker}. Tests share it, so each uses its own topic names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealPartsExtension.class)
public @interface WithKafka {}
