package io.pgsnapman.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Kafka broker of its own, started on first use and stopped after the class's
 * last test: topics, consumer groups and committed offsets never leak from one class to the next. Inject
 * {@link KafkaBroker}. The tests of one class share it, so each test uses its own keys or topic names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealPartsExtension.class)
public @interface WithKafka {}
