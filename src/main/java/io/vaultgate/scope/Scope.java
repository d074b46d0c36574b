package io.vaultgate.scope;

import io.vaultgate.vault.EntryPath;
import java.util.Objects;

/**
 * Where a secret is defined. Slugs are validated by the factories, so a {@code Scope} always
 * names a well-formed place (whether it exists is the catalog's business).
 */
public record Scope(ScopeKind kind, String project, EnvironmentType environmentType, String environment,
                    String service) {

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(project, "project");
    }

    public static Scope project(String project) {
        return new Scope(ScopeKind.PROJECT, Slugs.require("project", project), null, null, null);
    }

    public static Scope environmentType(String project, EnvironmentType type) {
        return new Scope(ScopeKind.ENVIRONMENT_TYPE, Slugs.require("project", project), type, null, null);
    }

    public static Scope environment(String project, String environment) {
        return new Scope(ScopeKind.ENVIRONMENT, Slugs.require("project", project), null,
                Slugs.require("environment", environment), null);
    }

    public static Scope service(String project, String service) {
        return new Scope(ScopeKind.SERVICE, Slugs.require("project", project), null, null,
                Slugs.require("service", service));
    }

    public static Scope serviceInEnvironment(String project, String environment, String service) {
        return new Scope(ScopeKind.SERVICE_IN_ENVIRONMENT, Slugs.require("project", project), null,
                Slugs.require("environment", environment), Slugs.require("service", service));
    }

    /** The KV entry (relative to mount and prefix) that holds this scope's values. */
    public EntryPath entryPath() {
        return new EntryPath(switch (kind) {
            case PROJECT -> project;
            case ENVIRONMENT_TYPE -> project + "/type/" + environmentType.wireName();
            case ENVIRONMENT -> project + "/env/" + environment;
            case SERVICE -> project + "/svc/" + service;
            case SERVICE_IN_ENVIRONMENT -> project + "/env/" + environment + "/svc/" + service;
        });
    }

    /** The scope whose {@link #entryPath()} this is: the inverse, kept beside it. */
    public static Scope ofEntryPath(String path) {
        String[] parts = path.split("/");
        if (parts.length == 1) {
            return project(parts[0]);
        }
        if (parts.length == 3 && parts[1].equals("type")) {
            return environmentType(parts[0], EnvironmentType.parse("environmentType", parts[2]));
        }
        if (parts.length == 3 && parts[1].equals("env")) {
            return environment(parts[0], parts[2]);
        }
        if (parts.length == 3 && parts[1].equals("svc")) {
            return service(parts[0], parts[2]);
        }
        if (parts.length == 5 && parts[1].equals("env") && parts[3].equals("svc")) {
            return serviceInEnvironment(parts[0], parts[2], parts[4]);
        }
        throw new IllegalArgumentException("not a scope entry path: " + path);
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
