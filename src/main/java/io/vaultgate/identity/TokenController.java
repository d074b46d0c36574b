package io.vaultgate.identity;

import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.vaultgate.web.JsonBodies;
import io.vaultgate.web.RequestIds;
import java.util.List;

/** Minting and revoking workload and operator tokens. Answers carry a token once; nothing stores it. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
class TokenController {

    private final WorkloadTokens workloadTokens;
    private final OperatorTokens operatorTokens;

    TokenController(WorkloadTokens workloadTokens, OperatorTokens operatorTokens) {
        this.workloadTokens = workloadTokens;
        this.operatorTokens = operatorTokens;
    }

    record MintBody(Integer ttlSeconds, Integer numUses) {
    }

    record OperatorBody(String role, Integer ttlSeconds) {
    }

    record RevokedAll(String project, String environment, String service, int revoked, List<String> accessors) {
    }

    @Post("/projects/{project}/environments/{environment}/services/{service}/tokens")
    HttpResponse<WorkloadTokens.Minted> mint(HttpRequest<?> request, Caller caller, String project, String environment,
                                             String service, @Body @Nullable String body) {
        MintBody parsed = body == null || body.isBlank() ? new MintBody(null, null) : JsonBodies.parse(body, MintBody.class);
        return HttpResponse.created(workloadTokens.mint(caller, Actor.of(caller, RequestIds.of(request)), project, environment,
                service, parsed.ttlSeconds(), parsed.numUses()));
    }

    @Delete("/tokens/{accessor}")
    HttpResponse<?> revoke(HttpRequest<?> request, Caller caller, String accessor) {
        workloadTokens.revoke(caller, Actor.of(caller, RequestIds.of(request)), accessor);
        return HttpResponse.noContent();
    }

    @Delete("/projects/{project}/environments/{environment}/services/{service}/tokens")
    RevokedAll revokeAll(HttpRequest<?> request, Caller caller, String project, String environment, String service) {
        List<String> accessors = workloadTokens.revokeAll(caller, Actor.of(caller, RequestIds.of(request)), project,
                environment, service);
        return new RevokedAll(project, environment, service, accessors.size(), accessors);
    }

    @Post("/projects/{project}/operator-tokens")
    HttpResponse<OperatorTokens.MintedOperator> mintOperator(HttpRequest<?> request, Caller caller, String project,
                                                             @Body @Nullable String body) {
        OperatorBody parsed = JsonBodies.parse(body, OperatorBody.class);
        return HttpResponse.created(operatorTokens.mint(caller, Actor.of(caller, RequestIds.of(request)), project,
                parsed.role(), parsed.ttlSeconds()));
    }
}
