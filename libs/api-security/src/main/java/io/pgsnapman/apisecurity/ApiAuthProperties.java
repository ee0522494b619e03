package io.pgsnapman.apisecurity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API tokens of a service (nested under its own settings as {@code auth}). Each token has a name (who
 * acted, in logs and events) and a role: {@code viewer} reads, {@code operator} also acts (dump or restore
 * now, pin), {@code admin} also changes configuration.
 *
 * @param tokens     tokens given in configuration (inject the values from a Secret, never commit them)
 * @param tokensFile a file with one {@code name:role:token} per line (a mounted Secret), read at start
 */
public record ApiAuthProperties(@DefaultValue List<@Valid Token> tokens, Path tokensFile) {

    /** One API token. */
    public record Token(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String name,
            @NotBlank @Pattern(regexp = "viewer|operator|admin") String role,
            @NotBlank @Size(min = 16, message = "must be at least 16 characters") String token) {

        @Override
        public String toString() {
            return "Token{" + name + ", " + role + "}";
        }
    }
}
