package io.pgsnapman.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class {@link #servers()} fresh PostgreSQL servers, shared by its tests and removed after the
 * last one (also when a test fails). Inject {@link PostgresServers} into a constructor, a lifecycle
 * method or a test method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealPartsExtension.class)
public @interface WithPostgres {

    /** How many servers, on distinct ports. */
    int servers() default 1;
}
