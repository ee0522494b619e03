package io.pgsnapman.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import io.pgsnapman.schemas.TopicSpec;
import io.pgsnapman.schemas.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The topics the classes of a package name: every static {@link TopicSpec} field of {@link Topics} their code
 * reads or their annotations' expressions name. Held against each service's {@code ServiceTopics} declaration, so the declaration that provisions
 * topics (and will grant ACLs) is exactly what the code uses.
 */
final class DeclaredTopics {

    private DeclaredTopics() {}

    /** A topic named in an annotation's expression, e.g. {@code @KafkaListener(topics = "#{T(...Topics).X.name()}")}. */
    private static final Pattern IN_EXPRESSION = Pattern.compile("Topics\\)\\.([A-Z_]+)\\b");

    /**
     * Topics named by classes in {@code packageName} (and below), except in {@code exceptClass}: in their code,
     * and in the expressions of their methods' annotations.
     */
    static Set<TopicSpec<?>> namedIn(JavaClasses classes, String packageName, Class<?> exceptClass) {
        List<JavaClass> scanned = classes.stream()
                .filter(c -> c.getPackageName().equals(packageName) || c.getPackageName().startsWith(packageName + "."))
                .filter(c -> !c.isEquivalentTo(exceptClass))
                .toList();
        Stream<String> inCode = scanned.stream()
                .flatMap(c -> c.getFieldAccessesFromSelf().stream())
                .filter(access -> access.getTargetOwner().isEquivalentTo(Topics.class))
                .map(access -> access.getTarget().getName());
        Stream<String> inAnnotations = scanned.stream()
                .flatMap(c -> c.getMethods().stream())
                .flatMap(m -> m.getAnnotations().stream())
                .flatMap(a -> a.getProperties().values().stream())
                .flatMap(v -> v instanceof Object[] many ? Arrays.stream(many) : Stream.of(v))
                .filter(String.class::isInstance)
                .flatMap(v -> IN_EXPRESSION.matcher((String) v).results().map(r -> r.group(1)));
        return Stream.concat(inCode, inAnnotations)
                .map(DeclaredTopics::topic)
                .filter(topic -> topic != null)
                .collect(Collectors.toSet());
    }

    private static TopicSpec<?> topic(String field) {
        try {
            Object value = Topics.class.getField(field).get(null);
            return value instanceof TopicSpec<?> spec ? spec : null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read Topics." + field, e);
        }
    }
}
