package io.vaultgate.scope;

import java.util.Objects;

/**
 * Where a secret is defined. Every constructor checks the slugs (400 {@code invalid-slug}) and that
 * the scope has exactly the parts its kind names, so a {@code Scope} always names a well-formed place
 * (whether it exists is the catalog's business).
 */
public record Scope(
        ScopeKind kind, String project, EnvironmentType environmentType, String environment, String service) {

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Slugs.require("project", project);
        if ((environmentType != null) != (kind == ScopeKind.ENVIRONMENT_TYPE)) {
            throw new IllegalArgumentException("a " + kind + " scope has an environment type only if it is one");
        }
        boolean inEnvironment = kind == ScopeKind.ENVIRONMENT || kind == ScopeKind.SERVICE_IN_ENVIRONMENT;
        boolean ofService = kind == ScopeKind.SERVICE || kind == ScopeKind.SERVICE_IN_ENVIRONMENT;
        requirePart(inEnvironment, "environment", environment, kind);
        requirePart(ofService, "service", service, kind);
    }

    private static void requirePart(boolean named, String part, String slug, ScopeKind kind) {
        if (named) {
            Slugs.require(part, slug);
        } else if (slug != null) {
            throw new IllegalArgumentException("a " + kind + " scope has no " + part);
        }
    }

    public static Scope project(String project) {
        return new Scope(ScopeKind.PROJECT, project, null, null, null);
    }

    public static Scope environmentType(String project, EnvironmentType type) {
        return new Scope(ScopeKind.ENVIRONMENT_TYPE, project, Objects.requireNonNull(type, "type"), null, null);
    }

    public static Scope environment(String project, String environment) {
        return new Scope(ScopeKind.ENVIRONMENT, project, null, environment, null);
    }

    public static Scope service(String project, String service) {
        return new Scope(ScopeKind.SERVICE, project, null, null, service);
    }

    public static Scope serviceInEnvironment(String project, String environment, String service) {
        return new Scope(ScopeKind.SERVICE_IN_ENVIRONMENT, project, null, environment, service);
    }

    /** The scope's API path prefix: how the scope is named in responses, errors and the audit. */
    public String apiPath() {
        String base = "/v1/projects/" + project;
        return switch (kind) {
            case PROJECT -> base;
            case ENVIRONMENT_TYPE -> base + "/environment-types/" + environmentType.wireName();
            case ENVIRONMENT -> base + "/environments/" + environment;
            case SERVICE -> base + "/services/" + service;
            case SERVICE_IN_ENVIRONMENT -> base + "/environments/" + environment + "/services/" + service;
        };
    }

    @Override
    public String toString() {
        return apiPath();
    }
}
