package io.vaultgate.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.identity.OperatorTokens;
import io.vaultgate.identity.WorkloadTokens;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.OpenPaths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A project's tokens: mint a workload token (deployers) or an operator token (admin), list them by
 * accessor, revoke one or all of a deployment, through the same {@link WorkloadTokens} and
 * {@link OperatorTokens} calls and rules as the API. A minted token is the answer of the form's
 * POST, shown this once: it is never put in the session, a redirect, a log or a later page.
 */
// HTML pages, not API operations: kept out of the API contract, whose operation ids they would share.
@Hidden
@Controller(TokensController.TOKENS)
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class TokensController {

    static final String TOKENS = OpenPaths.CONSOLE + "/projects/{project}/tokens";
    private static final int LISTED = 200;

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final Catalog catalog;
    private final WorkloadTokens workloadTokens;
    private final OperatorTokens operatorTokens;

    TokensController(
            ConsoleGuard guard,
            ConsolePages pages,
            Catalog catalog,
            WorkloadTokens workloadTokens,
            OperatorTokens operatorTokens) {
        this.guard = guard;
        this.pages = pages;
        this.catalog = catalog;
        this.workloadTokens = workloadTokens;
        this.operatorTokens = operatorTokens;
    }

    /** A token just minted, for the one page that shows it. */
    record Shown(String token, String accessor, String forWhom, java.time.Instant expiresAt) {
        @Override
        public String toString() {
            return "Shown[token=redacted, accessor=" + accessor + "]";
        }
    }

    @Get
    HttpResponse<?> tokens(HttpRequest<?> request, @PathVariable String project) {
        ConsoleGuard.Signed signed = guard.read(request);
        List<WorkloadTokens.Issued> issued = workloadTokens.issuedFor(signed.caller(), project, LISTED);
        Map<String, Object> model = pages.model(signed, "Tokens of " + project);
        model.put("project", project);
        model.put("tokens", issued);
        model.put("deployments", deployments(project));
        return ConsolePages.page("console/tokens", model);
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> mintToken(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        String[] deployment = deployment(form.getOrDefault("deployment", ""));
        WorkloadTokens.Minted minted = workloadTokens.mint(
                signed.caller(),
                signed.actor(),
                project,
                deployment[0],
                deployment[1],
                QueryNumbers.optional("ttlSeconds", form.get("ttlSeconds"), 1, Integer.MAX_VALUE),
                QueryNumbers.optional("numUses", form.get("numUses"), 0, Integer.MAX_VALUE));
        return shown(
                signed,
                project,
                new Shown(
                        minted.token(),
                        minted.accessor(),
                        "deployment " + deployment[1] + " in " + deployment[0],
                        minted.expiresAt()));
    }

    @Post("/operator")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> mintOperator(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        OperatorTokens.MintedOperator minted = operatorTokens.mint(
                signed.caller(),
                signed.actor(),
                project,
                form.getOrDefault("role", ""),
                QueryNumbers.optional("ttlSeconds", form.get("ttlSeconds"), 1, Integer.MAX_VALUE));
        return shown(
                signed,
                project,
                new Shown(minted.token(), minted.accessor(), minted.role() + " of " + project, minted.expiresAt()));
    }

    @Post("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> revokeToken(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        workloadTokens.revoke(signed.caller(), signed.actor(), form.getOrDefault("accessor", ""));
        return ConsolePages.seeOther(path(project));
    }

    @Post("/revoke-all")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> revokeTokens(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        String[] deployment = deployment(form.getOrDefault("deployment", ""));
        workloadTokens.revokeAll(signed.caller(), signed.actor(), project, deployment[0], deployment[1]);
        return ConsolePages.seeOther(path(project));
    }

    private HttpResponse<?> shown(ConsoleGuard.Signed signed, String project, Shown token) {
        Map<String, Object> model = pages.model(signed, "Token minted");
        model.put("project", project);
        model.put("minted", token);
        return ConsolePages.page("console/token-minted", model);
    }

    /** The project's deployments as {@code environment/service}, the value of the deployment choice. */
    private List<String> deployments(String project) {
        return catalog.deploymentRefsOf(catalog.requireProject(project)).stream()
                .sorted(Comparator.comparing(DeploymentRef::environment).thenComparing(DeploymentRef::service))
                .map(d -> d.environment() + "/" + d.service())
                .toList();
    }

    private static String[] deployment(String chosen) {
        String[] parts = chosen.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Choose a deployment.", "deployment");
        }
        return parts;
    }

    private static String path(String project) {
        return TOKENS.replace("{project}", project);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
