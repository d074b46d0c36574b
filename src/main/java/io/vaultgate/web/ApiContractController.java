package io.vaultgate.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /openapi.yml}: the API contract, open to everyone like the health probes, since it
 * holds nothing of this installation; clients and contract tests read it before they hold a token.
 * Being open, it is also what anyone can ask for again and again: a client that sends back its
 * {@code ETag} gets 304 and no body, and shared caches may keep it for a few minutes.
 */
@Hidden
@Controller
class ApiContractController {

    static final String PATH = "/openapi.yml";
    static final String CACHE_CONTROL = "public, max-age=300";

    private final ApiContract contract;

    ApiContractController(ApiContract contract) {
        this.contract = contract;
    }

    @Get(PATH)
    @Produces("application/yaml")
    HttpResponse<byte[]> document(HttpRequest<?> request) {
        boolean current =
                EntityTags.matches(request.getHeaders().getAll(HttpHeaders.IF_NONE_MATCH), contract.entityTag());
        return (current ? HttpResponse.<byte[]>status(HttpStatus.NOT_MODIFIED) : HttpResponse.ok(contract.document()))
                .header(HttpHeaders.ETAG, contract.entityTag())
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }
}
