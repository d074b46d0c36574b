package io.vaultgate.access;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.web.WireNames;
import java.util.Set;

/**
 * Who is calling, as learned from their bearer token: the accessor (safe to log and audit,
 * unlike the token), a display name, the policies that carry their role, the role itself, the
 * project a project-scoped role is bound to, and for a workload the deployment it is.
 * {@link Access} derives the role and holds every rule about what a role may do.
 */
public record Caller(
        String accessor,
        String displayName,
        Set<String> policies,
        Role role,
        @Nullable String project,
        @Nullable Workload workload) {

    public Caller {
        policies = Set.copyOf(policies);
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** What a token may do; see {@link Access}. */
    public enum Role {
        /** Everything, in every project. */
        ADMIN,
        /** Secrets, catalog and hooks of one project. */
        PROJECT_ADMIN,
        /** Mint workload tokens and read metadata of one project. */
        DEPLOYER,
        /** Read its own deployment's resolved environment, nothing else. */
        WORKLOAD,
        /** A valid token that holds no Vaultgate role. */
        NONE;

        /** {@code project-admin}: as token metadata, the issued-token record and the API spell it. */
        public String wireName() {
            return WireNames.of(this);
        }
    }

    /** The deployment a workload token is bound to. */
    public record Workload(String project, String environment, String service) {}
}
