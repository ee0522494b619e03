package io.pgsnapman.topicadmin;

import io.pgsnapman.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one declaration of the topics a service reads and writes, the consumer groups it joins and the transactional
 * ids it uses. It provisions the topics at start (with their dead-letter topics, which a reader writes to), is what
 * the architecture tests hold the code to — a service names no topic it has not declared —, and renders the
 * service's Kafka ACLs ({@link KafkaAcls}).
 *
 * @param service        the service's name
 * @param reads          topics it consumes, in declaration order
 * @param writes         topics it produces, in declaration order
 * @param groups         consumer groups it joins (a name, or a prefix for groups named per worker pool)
 * @param transactionalIds transactional ids its producers use
 */
public record ServiceTopics(String service, Set<TopicSpec<?>> reads, Set<TopicSpec<?>> writes, Set<Group> groups,
        Set<String> transactionalIds) {

    /** A consumer group, or every group whose name starts with {@code name} when {@code prefixed}. */
    public record Group(String name, boolean prefixed) {

        public static Group named(String name) {
            return new Group(name, false);
        }

        /** Groups named per worker pool: {@code prefix + pool}. */
        public static Group prefix(String prefix) {
            return new Group(prefix, true);
        }
    }

    public ServiceTopics {
        reads = Collections.unmodifiableSet(new LinkedHashSet<>(reads));
        writes = Collections.unmodifiableSet(new LinkedHashSet<>(writes));
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
        transactionalIds = Collections.unmodifiableSet(new LinkedHashSet<>(transactionalIds));
    }

    /** A service that reads and writes nothing yet; add with {@link #reads}, {@link #writes} and the others. */
    public static ServiceTopics of(String service) {
        return new ServiceTopics(service, Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** This declaration with these topics read too. */
    public ServiceTopics reads(TopicSpec<?>... topics) {
        Set<TopicSpec<?>> more = new LinkedHashSet<>(reads);
        more.addAll(List.of(topics));
        return new ServiceTopics(service, more, writes, groups, transactionalIds);
    }

    /** This declaration with these topics written too. */
    public ServiceTopics writes(TopicSpec<?>... topics) {
        Set<TopicSpec<?>> more = new LinkedHashSet<>(writes);
        more.addAll(List.of(topics));
        return new ServiceTopics(service, reads, more, groups, transactionalIds);
    }

    /** This declaration with these consumer groups joined too. */
    public ServiceTopics groups(Group... joined) {
        Set<Group> more = new LinkedHashSet<>(groups);
        more.addAll(List.of(joined));
        return new ServiceTopics(service, reads, writes, more, transactionalIds);
    }

    /** This declaration with these transactional ids used too. */
    public ServiceTopics transactionalIds(String... ids) {
        Set<String> more = new LinkedHashSet<>(transactionalIds);
        more.addAll(List.of(ids));
        return new ServiceTopics(service, reads, writes, groups, more);
    }

    /** Every topic it uses, read or written, once each: reads first, in declaration order. */
    public List<TopicSpec<?>> all() {
        Set<TopicSpec<?>> all = new LinkedHashSet<>(reads);
        all.addAll(writes);
        return new ArrayList<>(all);
    }

    /** Whether the service declared it uses this topic. */
    public boolean uses(TopicSpec<?> topic) {
        return reads.contains(topic) || writes.contains(topic);
    }
}
