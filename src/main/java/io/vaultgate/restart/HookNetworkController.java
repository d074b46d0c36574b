package io.vaultgate.restart;

import io.vaultgate.access.Access;
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
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.JsonBodies;
import io.vaultgate.web.RequestIds;
import java.util.List;

/**
 * A project's hook networks: {@code PUT} by an admin only (it decides which internal networks
 * the project's hooks can reach), {@code GET} by an admin or the project's admin.
 */
@Controller("/v1/projects/{project}/hook-networks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
class HookNetworkController {

    private final ProjectNetworks networks;

    HookNetworkController(ProjectNetworks networks) {
        this.networks = networks;
    }

    record NetworksBody(@Nullable List<String> allowedPrivate) {
    }

    record NetworksView(String project, List<String> allowedPrivate) {
    }

    @Put
    NetworksView replace(HttpRequest<?> request, Caller caller, String project, @Body @Nullable String body) {
        Access.requireProjectReader(caller, project);
        Access.requireAdmin(caller);
        NetworksBody parsed = JsonBodies.parse(body, NetworksBody.class);
        if (parsed.allowedPrivate() == null) {
            throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "Give allowedPrivate: a list of networks (10.0.0.0/8) and host names (deploy.internal).",
                    "allowedPrivate");
        }
        HookNetworks replaced = networks.replace(project, parsed.allowedPrivate(),
                Actor.of(caller, RequestIds.of(request)));
        return new NetworksView(project, replaced.entries());
    }

    @Get
    NetworksView show(Caller caller, String project) {
        Access.requireProjectAdmin(caller, project);
        return new NetworksView(project, networks.show(project).entries());
    }
}
