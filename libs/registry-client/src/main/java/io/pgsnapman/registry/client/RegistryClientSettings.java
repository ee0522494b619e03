package io.pgsnapman.registry.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the registry: one or more base URLs (tried in order until one answers), optional HTTP
 * basic auth, optional TLS trust store, and time-outs. Immutable; build with {@link #builder(String...)}.
 *
 * <p>The basic-auth user info is a secret: {@link #toString()} never prints it.
 */
public final class RegistryClientSettings {

    private final List<URI> urls;
    private final String basicAuthUserInfo;
    private final Path trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private RegistryClientSettings(Builder b) {
        if (b.urls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.urls = List.copyOf(b.urls);
        this.basicAuthUserInfo = b.basicAuthUserInfo;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.trustStoreType = b.trustStoreType;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
    }

    /** Starts settings for these base URLs, e.g. {@code http://registry:8081} or {@code http://host/apis/ccompat/v7}. */
    public static Builder builder(String... urls) {
        Builder builder = new Builder();
        for (String url : urls) {
            builder.url(url);
        }
        return builder;
    }

    public List<URI> urls() {
        return urls;
    }

    public Optional<String> basicAuthUserInfo() {
        return Optional.ofNullable(basicAuthUserInfo);
    }

    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    public Optional<String> trustStorePassword() {
        return Optional.ofNullable(trustStorePassword);
    }

    public String trustStoreType() {
        return trustStoreType;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "RegistryClientSettings{urls=" + urls + ", basicAuth=" + (basicAuthUserInfo != null)
                + ", trustStore=" + trustStore + "}";
    }

    /** Builder of {@link RegistryClientSettings}. */
    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private String basicAuthUserInfo;
        private Path trustStore;
        private String trustStorePassword;
        private String trustStoreType = "PKCS12";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {}

        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            String trimmed = url.strip();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("schema registry URL '" + url + "' is not a valid URI: " + e.getMessage(), e);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("schema registry URL '" + url + "' must start with http:// or https://");
            }
            urls.add(uri);
            return this;
        }

        /** HTTP basic auth as {@code user:password}. */
        public Builder basicAuth(String userInfo) {
            if (userInfo != null && !userInfo.isBlank() && !userInfo.contains(":")) {
                throw new IllegalArgumentException("basic auth user info must have the form user:password");
            }
            this.basicAuthUserInfo = userInfo == null || userInfo.isBlank() ? null : userInfo;
            return this;
        }

        /** Trust store used to verify the registry's TLS certificate (instead of the JVM default). */
        public Builder trustStore(Path path, String password, String type) {
            this.trustStore = path;
            this.trustStorePassword = password;
            if (type != null && !type.isBlank()) {
                this.trustStoreType = type;
            }
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public RegistryClientSettings build() {
            return new RegistryClientSettings(this);
        }
    }
}
