package io.pgsnapman.topicadmin;

import io.pgsnapman.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one declaration of the topics a service reads and writes. It provisions them at start (with their
 * dead-letter topics, which a reader writes to) and is what the architecture tests hold the code to: a
 * service names no topic it has not declared. Later it renders the service's Kafka ACLs.
 *
 * @param service the service's name
 * @param reads   topics it consumes, in declaration order
 * @param writes  topics it produces, in declaration order
 */
public record ServiceTopics(String service, Set<TopicSpec<?>> reads, Set<TopicSpec<?>> writes) {

    public ServiceTopics {
        reads = Collections.unmodifiableSet(new LinkedHashSet<>(reads));
        writes = Collections.unmodifiableSet(new LinkedHashSet<>(writes));
    }

    /** A service that reads and writes nothing yet; add with {@link #reads} and {@link #writes}. */
    public static ServiceTopics of(String service) {
        return new ServiceTopics(service, Set.of(), Set.of());
    }

    /** This declaration with these topics read too. */
    public ServiceTopics reads(TopicSpec<?>... topics) {
        Set<TopicSpec<?>> more = new LinkedHashSet<>(reads);
        more.addAll(List.of(topics));
        return new ServiceTopics(service, more, writes);
    }

    /** This declaration with these topics written too. */
    public ServiceTopics writes(TopicSpec<?>... topics) {
        Set<TopicSpec<?>> more = new LinkedHashSet<>(writes);
        more.addAll(List.of(topics));
        return new ServiceTopics(service, reads, more);
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
