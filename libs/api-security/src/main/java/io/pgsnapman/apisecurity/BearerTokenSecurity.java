package io.pgsnapman.apisecurity;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer-token access to a service's API, shared by the services that serve one. Roles nest: admin &gt;
 * operator &gt; viewer. Health, metrics and the OpenAPI description are open; what else each role may do
 * is the service's {@link Rules}. A missing or unknown token is 401, a role that may not act is 403, both
 * as JSON problems. A service imports this configuration and provides an {@link ApiTokens} and a
 * {@link Rules} bean.
 */
@Configuration
public class BearerTokenSecurity {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenSecurity.class);

    /** The service's own access rules for {@code /api/**}, applied after the open endpoints. */
    @FunctionalInterface
    public interface Rules {
        void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api);
    }

    /** The tokens of a service, with a warning when there are none. */
    public static ApiTokens tokens(ApiAuthProperties auth) {
        ApiTokens tokens = ApiTokens.from(auth);
        if (tokens.size() == 0) {
            log.warn("no API tokens configured: every API call will be refused with 401");
        }
        return tokens;
    }

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_VIEWER");
    }

    /** There are no user accounts; this keeps Spring Boot from creating a default one. */
    @Bean
    AuthenticationManager noAccounts() {
        return authentication -> {
            throw new BadCredentialsException("only bearer tokens are accepted");
        };
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, Rules rules) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .authorizeHttpRequests(auth -> {
                    // an async or error dispatch continues a request that was authorised already (streams, errors)
                    auth.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
                    auth.requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info",
                                    "/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html", "/error").permitAll()
                            .requestMatchers(HttpMethod.GET, "/api/**").hasRole("VIEWER");
                    rules.apply(auth);
                    auth.requestMatchers("/api/**").hasRole("ADMIN").anyRequest().denyAll();
                })
                .addFilterBefore(new BearerTokenFilter(tokens), UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problem(response, 401, "Unauthorized",
                                "a valid bearer token is required (Authorization: Bearer <token>)"))
                        .accessDeniedHandler((request, response, ex) -> problem(response, 403, "Forbidden",
                                "your role may not " + request.getMethod() + " " + request.getRequestURI())));
        return http.build();
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}");
    }

    /** Authenticates {@code Authorization: Bearer} tokens; leaves the request anonymous without one. */
    static final class BearerTokenFilter extends OncePerRequestFilter {
        private final ApiTokens tokens;

        BearerTokenFilter(ApiTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Optional<ApiTokens.Holder> holder = tokens.authenticate(header.substring(7).strip());
                if (holder.isEmpty()) {
                    problem(response, 401, "Unauthorized", "unknown bearer token");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        holder.get().name(), null,
                        List.of(new SimpleGrantedAuthority("ROLE_" + holder.get().role().toUpperCase()))));
            }
            chain.doFilter(request, response);
        }
    }
}
