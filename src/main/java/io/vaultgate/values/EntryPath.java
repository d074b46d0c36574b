package io.vaultgate.values;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import java.util.Objects;

/**
 * Where one scope's values live, relative to the configured mount and path prefix: one entry per
 * scope, for example {@code acme/env/production/svc/api}. {@link #of(Scope)} and {@link #scope()}
 * are the one home of that layout; MySQL keeps the same text in {@code scope_entry.entry_path}.
 */
public record EntryPath(String path) {

    /** A change-set draft's id as the API spells it, and as its entry is named: a lower-case UUID. */
    public static final String DRAFT_ID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    public EntryPath {
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.startsWith("/") || path.endsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("invalid entry path: " + path);
        }
    }

    /** The entry that holds a scope's values. */
    public static EntryPath of(Scope scope) {
        String project = scope.project();
        return new EntryPath(
                switch (scope.kind()) {
                    case PROJECT -> project;
                    case ENVIRONMENT_TYPE ->
                        project + "/type/" + scope.environmentType().wireName();
                    case ENVIRONMENT -> project + "/env/" + scope.environment();
                    case SERVICE -> project + "/svc/" + scope.service();
                    case SERVICE_IN_ENVIRONMENT -> project + "/env/" + scope.environment() + "/svc/" + scope.service();
                });
    }

    /**
     * The entry that holds the values staged in a change-set draft: {@code <project>/draft/<id>}.
     * No scope's entry has {@code draft} as its second segment, and the workload policy grants
     * only the five scope paths of a deployment, so no workload token can read it.
     */
    public static EntryPath draft(String project, String draftId) {
        if (!isDraftId(draftId)) {
            throw new IllegalArgumentException("not a draft id: " + draftId);
        }
        return new EntryPath(project + "/draft/" + draftId);
    }

    /** Whether {@code id} is spelled as a change-set draft's id is: a lower-case UUID. */
    public static boolean isDraftId(String id) {
        return id != null && id.matches(DRAFT_ID_PATTERN);
    }

    /** Whether this is a change-set draft's entry rather than a scope's. */
    public boolean isDraft() {
        String[] parts = path.split("/");
        return parts.length == 3 && parts[1].equals("draft");
    }

    /** The scope whose entry this is: the inverse of {@link #of(Scope)}. */
    public Scope scope() {
        String[] parts = path.split("/");
        if (parts.length == 1) {
            return Scope.project(parts[0]);
        }
        if (parts.length == 3 && parts[1].equals("type")) {
            return Scope.environmentType(parts[0], EnvironmentType.parse("environmentType", parts[2]));
        }
        if (parts.length == 3 && parts[1].equals("env")) {
            return Scope.environment(parts[0], parts[2]);
        }
        if (parts.length == 3 && parts[1].equals("svc")) {
            return Scope.service(parts[0], parts[2]);
        }
        if (parts.length == 5 && parts[1].equals("env") && parts[3].equals("svc")) {
            return Scope.serviceInEnvironment(parts[0], parts[2], parts[4]);
        }
        throw new IllegalArgumentException("not a scope entry path: " + path);
    }

    @Override
    public String toString() {
        return path;
    }
}
