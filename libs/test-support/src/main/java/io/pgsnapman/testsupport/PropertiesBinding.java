package io.pgsnapman.testsupport;

import jakarta.validation.Validation;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Binds a service's {@code @ConfigurationProperties} type from plain key/values the way Spring Boot does,
 * with Bean Validation, and without starting anything: for tests that load every key of a service.
 */
public final class PropertiesBinding {

    private PropertiesBinding() {}

    /** Binds and validates; a binding or validation failure is thrown as Spring Boot would report it. */
    public static <T> T bind(String prefix, Class<T> type, Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        BindHandler validation = new ValidationBindHandler(
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return binder.bindOrCreate(prefix, Bindable.of(type), validation);
    }
}
