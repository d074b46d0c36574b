package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Actor;
import io.vaultgate.access.Caller;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.Scope;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ProblemResponses;
import io.vaultgate.web.WriteFlags;
import io.vaultgate.web.WriteQuery;

/**
 * The secrets of all five scopes, one route set: each route is mapped under every scope prefix,
 * and {@link ScopeBinder} turns the matched path into its {@link Scope}. The most specific scope
 * a deployment inherits from wins (see {@code scope.ScopeChain}). In the API contract each route
 * is an operation per prefix, named by its scope at build time ({@code getSecret} becomes
 * {@code getProjectSecret}, {@code getEnvironmentSecret}, ...: see ContractCorrections).
 */
@RateLimited
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class SecretController {

    private static final String PROJECT = "/v1/projects/{project}";
    private static final String ENVIRONMENT_TYPE = PROJECT + "/environment-types/{environmentType}";
    private static final String ENVIRONMENT = PROJECT + "/environments/{environment}";
    private static final String SERVICE = PROJECT + "/services/{service}";
    private static final String DEPLOYMENT = ENVIRONMENT + "/services/{service}";

    private static final String SECRETS = "/secrets";
    private static final String SECRET = "/secrets/{key}";
    private static final String VERSIONS = "/secrets/{key}/versions";
    private static final String ROLLBACK = "/secrets/{key}/rollback";
    private static final String IMPORT = "/import";

    // The JSON and the dotenv import share a path and a method, so the contract has one operation for both.
    private static final String IMPORT_ID = "importSecrets";
    private static final String IMPORT_SUMMARY = "Imports keys and their values as one change-set: all or nothing.";
    private static final String IMPORT_DESCRIPTION = "The body is a JSON object of KEY to value (application/json) or"
            + " a dotenv file (text/plain); a bad line of a dotenv file refuses the import, naming the line.";

    private final SecretService secrets;

    SecretController(SecretService secrets) {
        this.secrets = secrets;
    }

    /** The scope's secrets: names, versions, who changed them and when, and usage. Never a value. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "listSecrets")
    @Get(
            uris = {
                PROJECT + SECRETS,
                ENVIRONMENT_TYPE + SECRETS,
                ENVIRONMENT + SECRETS,
                SERVICE + SECRETS,
                DEPLOYMENT + SECRETS
            })
    @ApiResponse(
            responseCode = "200",
            description = "The scope's secrets, without their values.",
            useReturnTypeSchema = true)
    SecretViews.SecretList list(@Bound Scope scope, @Bound Caller caller) {
        return secrets.list(caller, scope);
    }

    /** One secret's metadata. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "getSecret")
    @Get(
            uris = {
                PROJECT + SECRET,
                ENVIRONMENT_TYPE + SECRET,
                ENVIRONMENT + SECRET,
                SERVICE + SECRET,
                DEPLOYMENT + SECRET
            })
    @ApiResponse(responseCode = "200", description = "The secret's metadata.", useReturnTypeSchema = true)
    SecretViews.SecretView get(@Bound Scope scope, @PathVariable String key, @Bound Caller caller) {
        return secrets.get(caller, scope, key);
    }

    /** Sets one secret: 201 when it is created, 200 when it changes (or would, for a dry run). */
    @io.swagger.v3.oas.annotations.Operation(operationId = "setSecret")
    @Put(
            uris = {
                PROJECT + SECRET,
                ENVIRONMENT_TYPE + SECRET,
                ENVIRONMENT + SECRET,
                SERVICE + SECRET,
                DEPLOYMENT + SECRET
            })
    @ApiResponse(
            responseCode = "201",
            description = "Created.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.WriteView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "Changed, unchanged, replayed or a dry run.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.WriteView.class)))
    @ApiResponse(
            responseCode = "202",
            description = "Staged into the change-set draft named by changeSet; nothing is applied yet.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DraftStaging.Staged.class)))
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    @ProblemResponses.Idempotent
    HttpResponse<?> set(
            @Bound Scope scope,
            @PathVariable String key,
            @Body SecretBodies.SetBody body,
            @Schema(
                            description = "Stage the change into this change-set draft instead of applying it (202).",
                            pattern = SecretWrite.CHANGE_SET_PATTERN)
                    @QueryValue
                    @Nullable
                    String changeSet,
            @Bound Caller caller,
            @Bound Actor actor,
            @RequestBean WriteQuery query,
            @IdempotencyKey @Header(SecretWrite.IDEMPOTENCY_KEY) @Nullable String idempotencyKey) {
        SecretWrite write = new SecretWrite(caller, actor, query.flags(), idempotencyKey, changeSet);
        if (write.staged()) {
            return HttpResponse.accepted().body(secrets.stageSet(write, scope, key, body));
        }
        return written(secrets.set(write, scope, key, body));
    }

    /** Deletes one secret: 204, or 200 with what would happen for a dry run. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "deleteSecret")
    @Delete(
            uris = {
                PROJECT + SECRET,
                ENVIRONMENT_TYPE + SECRET,
                ENVIRONMENT + SECRET,
                SERVICE + SECRET,
                DEPLOYMENT + SECRET
            })
    @ApiResponse(responseCode = "204", description = "Deleted.")
    @ApiResponse(
            responseCode = "200",
            description = "A dry run: what would happen.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.WriteView.class)))
    @ApiResponse(
            responseCode = "202",
            description = "Staged into the change-set draft named by changeSet; nothing is applied yet.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DraftStaging.Staged.class)))
    @ProblemResponses.Conflict
    @ProblemResponses.Idempotent
    HttpResponse<?> delete(
            @Bound Scope scope,
            @PathVariable String key,
            @Schema(description = "The version the caller last saw; 0 means the key must not exist.", minimum = "0")
                    @Parameter(allowEmptyValue = true)
                    @QueryValue
                    @Nullable
                    Integer expectedVersion,
            @Schema(description = "Delete even when a deployment requires the key.", type = "boolean")
                    @Parameter(allowEmptyValue = true)
                    @QueryValue
                    @Nullable
                    String force,
            @Schema(
                            description = "Stage the change into this change-set draft instead of applying it (202).",
                            pattern = SecretWrite.CHANGE_SET_PATTERN)
                    @QueryValue
                    @Nullable
                    String changeSet,
            @Bound Caller caller,
            @Bound Actor actor,
            @RequestBean WriteQuery query,
            @IdempotencyKey @Header(SecretWrite.IDEMPOTENCY_KEY) @Nullable String idempotencyKey) {
        WriteFlags flags = WriteFlags.parse(query.dryRun(), force, query.restart());
        SecretWrite write = new SecretWrite(caller, actor, flags, idempotencyKey, changeSet);
        if (write.staged()) {
            return HttpResponse.accepted().body(secrets.stageDelete(write, scope, key, expectedVersion));
        }
        return secrets.delete(write, scope, key, expectedVersion)
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(HttpResponse::noContent);
    }

    /** A secret's history: every version, when, who, which change-set, and whether its value is still kept. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "listSecretVersions")
    @Get(
            uris = {
                PROJECT + VERSIONS,
                ENVIRONMENT_TYPE + VERSIONS,
                ENVIRONMENT + VERSIONS,
                SERVICE + VERSIONS,
                DEPLOYMENT + VERSIONS
            })
    @ApiResponse(responseCode = "200", description = "The secret's versions.", useReturnTypeSchema = true)
    SecretViews.History versions(@Bound Scope scope, @PathVariable String key, @Bound Caller caller) {
        return secrets.versions(caller, scope, key);
    }

    /** Makes an old version's value current again, as a new version. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "rollbackSecret")
    @ApiResponse(
            responseCode = "201",
            description = "The key, deleted since, exists again.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.WriteView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "Rolled back, replayed or a dry run.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.WriteView.class)))
    @ApiResponse(
            responseCode = "202",
            description = "Staged into the change-set draft named by changeSet; nothing is applied yet.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DraftStaging.Staged.class)))
    @Post(
            uris = {
                PROJECT + ROLLBACK,
                ENVIRONMENT_TYPE + ROLLBACK,
                ENVIRONMENT + ROLLBACK,
                SERVICE + ROLLBACK,
                DEPLOYMENT + ROLLBACK
            })
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    @ProblemResponses.Gone
    @ProblemResponses.Idempotent
    HttpResponse<?> rollback(
            @Bound Scope scope,
            @PathVariable String key,
            @Body SecretBodies.RollbackBody body,
            @Schema(
                            description = "Stage the change into this change-set draft instead of applying it (202).",
                            pattern = SecretWrite.CHANGE_SET_PATTERN)
                    @QueryValue
                    @Nullable
                    String changeSet,
            @Bound Caller caller,
            @Bound Actor actor,
            @RequestBean WriteQuery query,
            @IdempotencyKey @Header(SecretWrite.IDEMPOTENCY_KEY) @Nullable String idempotencyKey) {
        SecretWrite write = new SecretWrite(caller, actor, query.flags(), idempotencyKey, changeSet);
        if (write.staged()) {
            return HttpResponse.accepted().body(secrets.stageRollback(write, scope, key, body));
        }
        return written(secrets.rollback(write, scope, key, body));
    }

    /** Imports a JSON object of KEY to value as one change-set: all or nothing. */
    @io.swagger.v3.oas.annotations.Operation(
            operationId = IMPORT_ID,
            summary = IMPORT_SUMMARY,
            description = IMPORT_DESCRIPTION)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ImportKeys")))
    @Post(
            uris = {
                PROJECT + IMPORT,
                ENVIRONMENT_TYPE + IMPORT,
                ENVIRONMENT + IMPORT,
                SERVICE + IMPORT,
                DEPLOYMENT + IMPORT
            })
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "Imported.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.ImportView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "Replayed, or a dry run.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.ImportView.class)))
    @ApiResponse(
            responseCode = "202",
            description = "Staged into the change-set draft named by changeSet; nothing is applied yet.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DraftStaging.Staged.class)))
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    @ProblemResponses.Idempotent
    HttpResponse<?> importJson(
            @Bound Scope scope,
            @Body ImportedKeys keys,
            @Schema(
                            description = "Stage the change into this change-set draft instead of applying it (202).",
                            pattern = SecretWrite.CHANGE_SET_PATTERN)
                    @QueryValue
                    @Nullable
                    String changeSet,
            @Bound Caller caller,
            @Bound Actor actor,
            @RequestBean WriteQuery query,
            @IdempotencyKey @Header(SecretWrite.IDEMPOTENCY_KEY) @Nullable String idempotencyKey) {
        SecretWrite write = new SecretWrite(caller, actor, query.flags(), idempotencyKey, changeSet);
        if (write.staged()) {
            return HttpResponse.accepted().body(secrets.stageImportJson(write, scope, keys));
        }
        return imported(secrets.importJson(write, scope, keys));
    }

    /** Imports a dotenv file as one change-set: all or nothing; a bad line refuses it, naming the line. */
    @io.swagger.v3.oas.annotations.Operation(
            operationId = IMPORT_ID,
            summary = IMPORT_SUMMARY,
            description = IMPORT_DESCRIPTION)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.TEXT_PLAIN,
                            schema =
                                    @Schema(
                                            type = "string",
                                            minLength = 1,
                                            description = "A dotenv file, in the dialect README describes.")))
    @Post(
            uris = {
                PROJECT + IMPORT,
                ENVIRONMENT_TYPE + IMPORT,
                ENVIRONMENT + IMPORT,
                SERVICE + IMPORT,
                DEPLOYMENT + IMPORT
            })
    @Consumes(MediaType.TEXT_PLAIN)
    @ApiResponse(
            responseCode = "201",
            description = "Imported.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.ImportView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "Replayed, or a dry run.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SecretViews.ImportView.class)))
    @ApiResponse(
            responseCode = "202",
            description = "Staged into the change-set draft named by changeSet; nothing is applied yet.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DraftStaging.Staged.class)))
    @ProblemResponses.Body
    @ProblemResponses.Conflict
    @ProblemResponses.Idempotent
    HttpResponse<?> importDotenv(
            @Bound Scope scope,
            @Body String file,
            @Schema(
                            description = "Stage the change into this change-set draft instead of applying it (202).",
                            pattern = SecretWrite.CHANGE_SET_PATTERN)
                    @QueryValue
                    @Nullable
                    String changeSet,
            @Bound Caller caller,
            @Bound Actor actor,
            @RequestBean WriteQuery query,
            @IdempotencyKey @Header(SecretWrite.IDEMPOTENCY_KEY) @Nullable String idempotencyKey) {
        SecretWrite write = new SecretWrite(caller, actor, query.flags(), idempotencyKey, changeSet);
        if (write.staged()) {
            return HttpResponse.accepted().body(secrets.stageImportDotenv(write, scope, file));
        }
        return imported(secrets.importDotenv(write, scope, file));
    }

    /** What a deployment resolves: every key's source and what it overrides. Never a value. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "getResolvedKeys")
    @Get(DEPLOYMENT + "/resolved")
    @ApiResponse(
            responseCode = "200",
            description = "Every key the deployment resolves, with its source.",
            useReturnTypeSchema = true)
    SecretViews.Resolution resolved(@Bound Scope scope, @Bound Caller caller) {
        return secrets.resolved(caller, scope);
    }

    private static HttpResponse<SecretViews.WriteView> written(SecretViews.WriteView view) {
        boolean created = view.operation().equals(Operation.CREATE.wireName()) && !view.dryRun();
        return HttpResponse.<SecretViews.WriteView>status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(view);
    }

    private static HttpResponse<SecretViews.ImportView> imported(SecretViews.ImportView view) {
        boolean created = !view.replayed() && !view.dryRun();
        return HttpResponse.<SecretViews.ImportView>status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(view);
    }
}
