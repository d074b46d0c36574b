package io.vaultgate.secret;

import io.vaultgate.access.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.Scope;

/** Secrets at the project scope: every deployment of the project. Each route hands its scope to {@link SecretApi}. */
@RateLimited
@Controller("/v1/projects/{project}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
class ProjectSecretsController {

    private final SecretApi api;

    ProjectSecretsController(SecretApi api) {
        this.api = api;
    }

    @Get("/secrets")
    SecretViews.SecretList list(Caller caller, String project) {
        return api.list(caller, Scope.project(project));
    }

    @Get("/secrets/{key}")
    SecretViews.SecretView get(Caller caller, String project, String key) {
        return api.get(caller, Scope.project(project), key);
    }

    @Put("/secrets/{key}")
    HttpResponse<SecretViews.WriteView> set(HttpRequest<?> request, Caller caller, String project, String key,
                                            @Body @Nullable String body) {
        return api.set(request, caller, Scope.project(project), key, body);
    }

    @Delete("/secrets/{key}")
    HttpResponse<?> delete(HttpRequest<?> request, Caller caller, String project, String key) {
        return api.delete(request, caller, Scope.project(project), key);
    }

    @Get("/secrets/{key}/versions")
    SecretViews.History versions(Caller caller, String project, String key) {
        return api.versions(caller, Scope.project(project), key);
    }

    @Post("/secrets/{key}/rollback")
    HttpResponse<SecretViews.WriteView> rollback(HttpRequest<?> request, Caller caller, String project, String key,
                                                 @Body @Nullable String body) {
        return api.rollback(request, caller, Scope.project(project), key, body);
    }

    @Post("/import")
    HttpResponse<SecretViews.ImportView> importKeys(HttpRequest<?> request, Caller caller, String project,
                                                    @Body @Nullable String body) {
        return api.importKeys(request, caller, Scope.project(project), body);
    }
}
