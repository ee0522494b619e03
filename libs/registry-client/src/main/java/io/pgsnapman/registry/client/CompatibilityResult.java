package io.pgsnapman.registry.client;

import java.util.List;

/**
 * Answer of a compatibility test.
 *
 * @param compatible whether the schema may be registered under the subject
 * @param messages   the registry's explanation when it is not (may be empty)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public CompatibilityResult {
        messages = List.copyOf(messages);
    }
}
