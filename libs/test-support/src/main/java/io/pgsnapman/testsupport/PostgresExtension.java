package io.pgsnapman.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Backs {@link WithPostgres}: starts the servers once per test class, in the class's store, so JUnit
 * closes them when the class is done whatever its tests did.
 */
public final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        int count = AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), WithPostgres.class)
                .map(WithPostgres::servers)
                .orElse(1);
        return classContext.getStore(NAMESPACE)
                .computeIfAbsent(PostgresServers.class, key -> PostgresServers.start(count), PostgresServers.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }
}
