package io.pgsnapman.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Backs {@link WithKafka}, {@link WithSchemaRegistry} and {@link WithPostgres}: resolves
 * {@link SchemaRegistryServer} from the root store (one per test JVM; schema ids are the same for every
 * test), and {@link KafkaBroker} and {@link PostgresServers} from the test class's store (one of each per
 * class, so no topic, consumer group or scheduler progress of one class is seen by the next). JUnit closes
 * what is in a store when that store's context ends, whatever the tests did.
 */
public final class RealPartsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealPartsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class || type == SchemaRegistryServer.class || type == PostgresServers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == SchemaRegistryServer.class) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(
                    SchemaRegistryServer.class, key -> SchemaRegistryServer.start(), SchemaRegistryServer.class);
        }
        ExtensionContext classContext = classContext(context);
        if (type == KafkaBroker.class) {
            return classContext.getStore(NAMESPACE)
                    .computeIfAbsent(KafkaBroker.class, key -> KafkaBroker.start(3), KafkaBroker.class);
        }
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
