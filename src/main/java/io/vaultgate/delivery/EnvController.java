package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.BearerTokens;
import io.vaultgate.access.Caller;
import io.vaultgate.access.CallerToken;
import io.vaultgate.access.TokenInfo;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.ProblemResponses;

/** {@code GET /v1/env}: a workload token's resolved environment as JSON, dotenv or POSIX shell. */
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/env")
@ExecuteOn(TaskExecutors.BLOCKING)
class EnvController {

    private static final String HEADERS = "#/components/headers/";

    private final BootFetch fetch;

    EnvController(BootFetch fetch) {
        this.fetch = fetch;
    }

    /**
     * The caller's (a workload token's) resolved environment, as JSON, dotenv or POSIX shell, by
     * {@code Accept} or {@code format}; 304 when {@code If-None-Match} holds the current revision.
     */
    @Operation(operationId = "getEnv")
    @Get
    @Produces({MediaType.APPLICATION_JSON, "text/x-dotenv", "text/x-shellscript", MediaType.TEXT_PLAIN})
    @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_NONE_MATCH, ref = "#/components/parameters/IfNoneMatch")
    @Parameter(in = ParameterIn.HEADER, name = InstanceIds.HEADER, ref = "#/components/parameters/Instance")
    @ApiResponse(
            responseCode = "304",
            description = "The caller's copy is current (its ETag).",
            headers = {
                @Header(name = HttpHeaders.ETAG, ref = HEADERS + "EnvironmentTag"),
                @Header(name = HttpHeaders.CACHE_CONTROL, ref = HEADERS + "NoStore"),
                @Header(name = HttpHeaders.VARY, ref = HEADERS + "VaryAccept")
            })
    @ApiResponse(
            responseCode = "200",
            description = "Every key the deployment resolves, with its value.",
            headers = {
                @Header(name = HttpHeaders.ETAG, ref = HEADERS + "EnvironmentTag"),
                @Header(name = HttpHeaders.CACHE_CONTROL, ref = HEADERS + "NoStore"),
                @Header(name = HttpHeaders.VARY, ref = HEADERS + "VaryAccept")
            },
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(ref = "#/components/schemas/Environment")),
                @Content(mediaType = "text/x-dotenv", schema = @Schema(implementation = String.class)),
                @Content(mediaType = "text/x-shellscript", schema = @Schema(implementation = String.class)),
                @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = String.class))
            })
    HttpResponse<String> env(
            HttpRequest<?> request,
            @Parameter(schema = @Schema(allowableValues = {"json", "dotenv", "shell"})) @QueryValue @Nullable
                    String format,
            @Bound Caller caller) {
        EnvFormat chosen = EnvFormat.negotiate(format, request.getHeaders().get(HttpHeaders.ACCEPT));
        CallerToken token = BearerTokens.actingAs(request).orElseThrow();
        TokenInfo lookedUp = BearerTokens.lookedUp(request)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.UNAUTHENTICATED, "Send a valid token as 'Authorization: Bearer <token>'."));
        String instance = InstanceIds.checked(request.getHeaders().get(InstanceIds.HEADER), InstanceIds.HEADER);
        BootFetch.Fetched fetched =
                fetch.fetch(caller, token, lookedUp, request.getHeaders().getAll(HttpHeaders.IF_NONE_MATCH), instance);
        if (fetched.values().isEmpty()) {
            return HttpResponse.<String>status(HttpStatus.NOT_MODIFIED)
                    .header(HttpHeaders.ETAG, ETags.of(fetched.revision()))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header(HttpHeaders.VARY, "Accept");
        }
        return HttpResponse.ok(chosen.render(fetched.values().get()))
                .contentType(chosen.mediaType())
                .header(HttpHeaders.ETAG, ETags.of(fetched.revision()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(HttpHeaders.VARY, "Accept");
    }
}
