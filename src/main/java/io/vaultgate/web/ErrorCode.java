package io.vaultgate.web;

import io.micronaut.http.HttpStatus;

/**
 * Every error the API can answer, each with the HTTP status it maps to and a stable code that
 * scripts may depend on. The CLI maps answers to exit codes by HTTP status (cli.ExitCode).
 */
public enum ErrorCode {
    INVALID_JSON(HttpStatus.BAD_REQUEST, "invalid-json", "The request body is not valid JSON"),
    INVALID_DOTENV(HttpStatus.BAD_REQUEST, "invalid-dotenv", "The .env file is not valid"),
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "The request is not valid"),
    INVALID_SLUG(HttpStatus.BAD_REQUEST, "invalid-slug", "Invalid name"),
    INVALID_ENVIRONMENT_TYPE(HttpStatus.BAD_REQUEST, "invalid-environment-type", "Invalid environment type"),
    INVALID_SECRET_NAME(HttpStatus.BAD_REQUEST, "invalid-secret-name", "Invalid secret name"),
    INVALID_SECRET_VALUE(HttpStatus.BAD_REQUEST, "invalid-secret-value", "Invalid secret value"),
    VALUE_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "value-too-large", "Secret value too large"),
    SCOPE_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "scope-too-large", "Scope too large"),
    TOO_MANY_KEYS(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-many-keys", "Too many keys in one import"),
    INVALID_HOOK_URL(HttpStatus.BAD_REQUEST, "invalid-hook-url", "Hook URL refused"),
    HOOK_NOT_FOUND(HttpStatus.NOT_FOUND, "hook-not-found", "Hook not found"),
    HOOK_LIMIT_REACHED(HttpStatus.CONFLICT, "hook-limit-reached", "The project holds as many hooks as it may"),
    INVALID_HOOK_NETWORK(HttpStatus.BAD_REQUEST, "invalid-hook-network", "Hook network refused"),
    DELIVERY_NOT_FOUND(HttpStatus.NOT_FOUND, "delivery-not-found", "Delivery not found"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "Missing or invalid token"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Not allowed"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
    PROJECT_NOT_FOUND(HttpStatus.NOT_FOUND, "project-not-found", "Project not found"),
    ENVIRONMENT_NOT_FOUND(HttpStatus.NOT_FOUND, "environment-not-found", "Environment not found"),
    SERVICE_NOT_FOUND(HttpStatus.NOT_FOUND, "service-not-found", "Service not found"),
    DEPLOYMENT_NOT_FOUND(HttpStatus.NOT_FOUND, "deployment-not-found", "Deployment not found"),
    SECRET_NOT_FOUND(HttpStatus.NOT_FOUND, "secret-not-found", "Secret not found"),
    VERSION_NOT_FOUND(HttpStatus.NOT_FOUND, "version-not-found", "Version not found"),
    VERSION_NOT_KEPT(HttpStatus.GONE, "version-not-kept", "Version no longer kept"),
    VERSION_CONFLICT(HttpStatus.CONFLICT, "version-conflict", "Version conflict"),
    SCOPE_BUSY(HttpStatus.CONFLICT, "scope-busy", "Another write to this scope is in progress"),
    CONCURRENT_CHANGE(HttpStatus.CONFLICT, "concurrent-change", "A concurrent request changed the same thing"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
    // Change control (changeset, secret.MultiScopeRelease).
    CHANGE_SET_NOT_FOUND(HttpStatus.NOT_FOUND, "change-set-not-found", "Change-set not found"),
    CHANGE_SET_CLOSED(HttpStatus.CONFLICT, "change-set-closed", "The change-set is no longer a draft"),
    CHANGE_SET_BUSY(HttpStatus.CONFLICT, "change-set-busy", "The change-set is being released"),
    CHANGE_SET_CONFLICT(HttpStatus.CONFLICT, "change-set-conflict", "Keys changed since they were reviewed"),
    APPROVAL_REQUIRED(HttpStatus.CONFLICT, "approval-required", "Not enough approvals"),
    APPROVAL_NOT_ALLOWED(HttpStatus.FORBIDDEN, "approval-not-allowed", "Approval not allowed"),
    // Tokens, delivery and requirements (identity, delivery).
    INVALID_TTL(HttpStatus.BAD_REQUEST, "invalid-ttl", "Invalid ttl"),
    TTL_TOO_LONG(HttpStatus.BAD_REQUEST, "ttl-too-long", "Requested ttl above the maximum"),
    INVALID_NUM_USES(HttpStatus.BAD_REQUEST, "invalid-num-uses", "Invalid number of uses"),
    INVALID_ROLE(HttpStatus.BAD_REQUEST, "invalid-role", "Invalid operator role"),
    TOKEN_NOT_FOUND(HttpStatus.NOT_FOUND, "token-not-found", "Token not found"),
    NOT_A_WORKLOAD_TOKEN(HttpStatus.FORBIDDEN, "not-a-workload-token", "Not a workload token"),
    TOKEN_USED_UP(HttpStatus.FORBIDDEN, "token-used-up", "Token has no boot fetch left"),
    TOKEN_REFUSED(HttpStatus.FORBIDDEN, "token-refused", "The token authority refused the token"),
    // Workload identity federation (identity).
    JWT_INVALID(HttpStatus.UNAUTHORIZED, "jwt-invalid", "The JWT was refused"),
    IDENTITY_NOT_BOUND(HttpStatus.FORBIDDEN, "identity-not-bound", "No deployment is bound to this identity"),
    IDENTITY_BINDING_NOT_FOUND(
            HttpStatus.NOT_FOUND, "identity-binding-not-found", "No identity is bound to this deployment"),
    IDENTITY_ALREADY_BOUND(
            HttpStatus.CONFLICT, "identity-already-bound", "Another deployment is bound to the same identity"),
    JWKS_URL_NOT_ALLOWED(HttpStatus.BAD_REQUEST, "jwks-url-not-allowed", "JWKS URL not allowed"),
    JWKS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "jwks-unavailable", "The issuer's keys could not be fetched"),
    INVALID_INSTANCE(HttpStatus.BAD_REQUEST, "invalid-instance", "Invalid instance id"),
    UNSUPPORTED_FORMAT(HttpStatus.BAD_REQUEST, "unsupported-format", "Unsupported format"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "No acceptable format"),
    REQUIREMENT_UNRESOLVED(HttpStatus.CONFLICT, "requirement-unresolved", "A required key would become unresolved"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
    REQUEST_TOO_LARGE(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "request-too-large", "Request too large"),
    REQUEST_LINE_TOO_LONG(HttpStatus.REQUEST_URI_TOO_LONG, "request-line-too-long", "Request line too long"),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large", "Request headers too large"),
    TOO_MANY_WAITERS(HttpStatus.TOO_MANY_REQUESTS, "too-many-waiters", "Too many long-polls waiting"),
    VALUE_STORE_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE, "value-store-unavailable", "The value store is unavailable"),
    VALUE_STORE_FAILED(HttpStatus.BAD_GATEWAY, "value-store-failed", "The value store refused the operation"),
    OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "The gateway is handling as many requests as it may"),
    METADATA_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE, "metadata-unavailable", "The metadata database is unavailable"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error");

    private final HttpStatus status;
    private final String code;
    private final String title;

    ErrorCode(HttpStatus status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
