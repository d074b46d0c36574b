package io.vaultgate.secret;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.PostponedRequestArgumentBinder;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Lets the one secrets route set take the {@link Scope} its path names: which of
 * {@code project}, {@code environmentType}, {@code environment} and {@code service} the matched
 * URI holds decides the scope's kind (see {@link SecretController}'s prefixes). Bound after the
 * filters, so a request is authenticated before its path is judged.
 */
@Singleton
class ScopeBinder implements TypedRequestArgumentBinder<Scope>, PostponedRequestArgumentBinder<Scope> {

    @Override
    public Argument<Scope> argumentType() {
        return Argument.of(Scope.class);
    }

    @Override
    public BindingResult<Scope> bind(ArgumentConversionContext<Scope> context, HttpRequest<?> source) {
        Optional<Scope> scope = RouteAttributes.getRouteMatch(source)
                .filter(UriRouteMatch.class::isInstance)
                .map(match -> scopeOf(((UriRouteMatch<?, ?>) match).getVariableValues()));
        return () -> scope;
    }

    static Scope scopeOf(Map<String, Object> path) {
        String project = text(path, "project");
        String type = text(path, "environmentType");
        String environment = text(path, "environment");
        String service = text(path, "service");
        if (type != null) {
            return Scope.environmentType(project, EnvironmentType.parse("environmentType", type));
        }
        if (environment != null && service != null) {
            return Scope.serviceInEnvironment(project, environment, service);
        }
        if (environment != null) {
            return Scope.environment(project, environment);
        }
        if (service != null) {
            return Scope.service(project, service);
        }
        return Scope.project(project);
    }

    private static String text(Map<String, Object> path, String name) {
        Object value = path.get(name);
        return value == null ? null : value.toString();
    }
}
