package io.vaultgate.delivery;

import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.web.JsonBodies;
import io.vaultgate.web.RequestIds;
import java.util.List;

/** Declaring the keys a service needs, and checking a deployment against them. */
@RateLimited
@Controller("/v1/projects/{project}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
class RequirementController {

    private final Requirements requirements;

    RequirementController(Requirements requirements) {
        this.requirements = requirements;
    }

    record KeysBody(List<String> keys) {
    }

    @Put("/services/{service}/requirements")
    Requirements.RequirementsView put(HttpRequest<?> request, Caller caller, String project, String service,
                                      @Body @Nullable String body) {
        KeysBody parsed = JsonBodies.parse(body, KeysBody.class);
        return requirements.put(caller, Actor.of(caller, RequestIds.of(request)), project, service, parsed.keys());
    }

    @Get("/services/{service}/requirements")
    Requirements.RequirementsView get(Caller caller, String project, String service) {
        return requirements.get(caller, project, service);
    }

    @Get("/environments/{environment}/services/{service}/check")
    Requirements.CheckView check(Caller caller, String project, String environment, String service) {
        return requirements.check(caller, project, environment, service);
    }
}
