package io.vaultgate.access;

import io.vaultgate.scope.Slugs;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who may do what: the one home of the role rules.
 *
 * <ul>
 *   <li><b>admin</b> (policy {@code vaultgate-admin}): everything.</li>
 *   <li><b>project admin</b> (policy {@code vaultgate-project-admin}, metadata {@code project}): the
 *       secrets, catalog, requirements, tokens and hooks of that project.</li>
 *   <li><b>deployer</b> (policy {@code vaultgate-deployer}, metadata {@code project}): mint and revoke
 *       workload tokens, read metadata of that project.</li>
 *   <li><b>workload</b> (policy {@code vaultgate-workload}, metadata {@code project}/{@code environment}/
 *       {@code service}, set by the gateway when it minted the token): {@code GET /v1/env} and nothing else.</li>
 * </ul>
 *
 * A token bound to another project gets 404 for every path of this one, worded exactly like a
 * project that does not exist, so it cannot even learn which projects exist. Within its own
 * project a role that falls short gets 403. A token with no role gets 403 everywhere.
 */
public final class Access {

    public static final String META_PROJECT = "project";
    public static final String META_ENVIRONMENT = "environment";
    public static final String META_SERVICE = "service";
    public static final String META_ROLE = "role";

    private Access() {}

    /**
     * The role a looked-up token carries. Metadata alone grants nothing: the policy must match. A
     * project role (project admin, deployer, workload) also needs the token to be one this gateway
     * minted and has not revoked ({@code issuedHere}, asked only then): one minted through the
     * gateway's token roles by anyone else, such as a thief of the gateway's Vault token, is nobody.
     */
    static Caller callerOf(TokenInfo token, AuthProperties auth, Predicate<String> issuedHere) {
        Set<String> policies = token.policies();
        Map<String, String> meta = token.metadata();
        String project = meta.get(META_PROJECT);
        boolean projectBound = Slugs.isValid(project);
        Caller.Role role = Caller.Role.NONE;
        Caller.Workload workload = null;
        if (policies.contains(auth.adminPolicy())) {
            role = Caller.Role.ADMIN;
        } else if (projectBound && policies.contains(auth.projectAdminPolicy())) {
            role = Caller.Role.PROJECT_ADMIN;
        } else if (projectBound && policies.contains(auth.deployerPolicy())) {
            role = Caller.Role.DEPLOYER;
        } else if (projectBound
                && Slugs.isValid(meta.get(META_ENVIRONMENT))
                && Slugs.isValid(meta.get(META_SERVICE))
                && policies.contains(auth.workloadPolicy())) {
            role = Caller.Role.WORKLOAD;
            workload = new Caller.Workload(project, meta.get(META_ENVIRONMENT), meta.get(META_SERVICE));
        }
        boolean scoped =
                role == Caller.Role.PROJECT_ADMIN || role == Caller.Role.DEPLOYER || role == Caller.Role.WORKLOAD;
        if (scoped && (token.accessor() == null || !issuedHere.test(token.accessor()))) {
            role = Caller.Role.NONE;
            scoped = false;
            workload = null;
        }
        return new Caller(token.accessor(), token.displayName(), policies, role, scoped ? project : null, workload);
    }

    /** Gateway-wide operations: listing and creating projects, operator tokens. */
    public static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This operation needs an admin token.");
        }
    }

    /** Changes to one project: secrets, catalog, requirements, hooks. Admin or that project's admin. */
    public static void requireProjectAdmin(Caller caller, String project) {
        requireInProject(caller, project);
        if (caller.role() != Caller.Role.ADMIN && caller.role() != Caller.Role.PROJECT_ADMIN) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    roleName(caller) + " token may not change project '" + project
                            + "'; this needs a project admin token.");
        }
    }

    /** Reading one project's metadata and minting or revoking its workload tokens: deployer or more. */
    public static void requireProjectReader(Caller caller, String project) {
        requireInProject(caller, project);
        if (caller.role() == Caller.Role.WORKLOAD) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN, "A workload token can only read its own environment, at GET /v1/env.");
        }
    }

    /**
     * Learning whether two stored values of one project are equal without seeing either (the
     * environment diff's {@code values=true}): admin or that project's admin, as reading values
     * back through a write's {@code unchanged} answer already is.
     */
    public static void requireValueComparison(Caller caller, String project) {
        requireInProject(caller, project);
        if (caller.role() != Caller.Role.ADMIN && caller.role() != Caller.Role.PROJECT_ADMIN) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    roleName(caller) + " token may compare the keys and sources of project '" + project
                            + "' but not its values; values=true needs a project admin token.");
        }
    }

    /** Minting and revoking workload tokens of one project. */
    public static void requireDeployer(Caller caller, String project) {
        requireProjectReader(caller, project);
    }

    /** {@code GET /v1/env}: only a workload token, and it reads its own deployment. */
    public static Caller.Workload requireWorkload(Caller caller) {
        if (caller.role() != Caller.Role.WORKLOAD || caller.workload() == null) {
            throw new ApiException(
                    ErrorCode.NOT_A_WORKLOAD_TOKEN,
                    "GET /v1/env needs a workload token, minted with "
                            + "POST /v1/projects/{project}/environments/{environment}/services/{service}/tokens.");
        }
        return caller.workload();
    }

    /**
     * {@code /prometheus}: an admin, or a scraper whose token holds the metrics marker policy (it
     * holds no role, so everything else refuses it). Metrics are gateway-wide: no project's token reads them.
     */
    static void requireMetricsReader(Caller caller, AuthProperties auth) {
        if (!caller.admin() && !caller.policies().contains(auth.metricsPolicy())) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    "Metrics need an admin token or one holding the '" + auth.metricsPolicy() + "' policy.");
        }
    }

    /** The caller may see that {@code project} exists: admins, and tokens bound to it. */
    private static void requireInProject(Caller caller, String project) {
        switch (caller.role()) {
            case ADMIN -> {}
            case NONE ->
                throw new ApiException(
                        ErrorCode.FORBIDDEN,
                        "This token holds no Vaultgate role (admin, project admin, deployer or workload).");
            default -> {
                if (!caller.project().equals(project)) {
                    // Exactly the words of a project that does not exist: nothing to learn here.
                    Slugs.require("project", project);
                    throw new ApiException(
                            ErrorCode.PROJECT_NOT_FOUND, "There is no project '" + project + "'.", "project");
                }
            }
        }
    }

    private static String roleName(Caller caller) {
        return switch (caller.role()) {
            case DEPLOYER -> "A deployer";
            case WORKLOAD -> "A workload";
            case PROJECT_ADMIN -> "A project admin";
            case ADMIN -> "An admin";
            case NONE -> "This";
        };
    }
}
