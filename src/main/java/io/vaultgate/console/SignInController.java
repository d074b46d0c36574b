package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.access.Caller;
import io.vaultgate.access.CallerToken;
import io.vaultgate.access.LookupThrottledException;
import io.vaultgate.access.TokenAuthentication;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.OpenPaths;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in with a token (an admin's, a project admin's or a deployer's) and out. The token is
 * checked by the API's own lookup, then kept only inside the sealed session cookie; a workload
 * token, or one with no role, cannot sign in.
 */
@Hidden
@Controller(OpenPaths.CONSOLE)
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class SignInController {

    static final String SIGN_IN = OpenPaths.CONSOLE + "/sign-in";

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final TokenAuthentication authentication;
    private final SessionSeal seal;
    private final Clock clock;

    SignInController(
            ConsoleGuard guard, ConsolePages pages, TokenAuthentication authentication, SessionSeal seal, Clock clock) {
        this.guard = guard;
        this.pages = pages;
        this.authentication = authentication;
        this.seal = seal;
        this.clock = clock;
    }

    @Get
    HttpResponse<?> home(HttpRequest<?> request) {
        return ConsolePages.seeOther(
                request.getAttribute(ConsoleFilter.SESSION, ConsoleSession.class)
                                .filter(ConsoleSession::signedIn)
                                .isPresent()
                        ? ProjectsController.PROJECTS
                        : SIGN_IN);
    }

    @Get("/sign-in")
    HttpResponse<ModelAndView<Map<String, Object>>> signInPage(HttpRequest<?> request) {
        return ConsolePages.page("console/sign-in", signInModel(request, null));
    }

    @Post("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> signIn(HttpRequest<?> request, @Body Map<String, String> form) {
        guard.signIn(request, form.get("csrf"));
        String token = Optional.ofNullable(form.get("token")).map(String::strip).orElse("");
        Optional<Caller> caller;
        try {
            caller = token.isEmpty() ? Optional.empty() : authentication.authenticate(request, new CallerToken(token));
        } catch (LookupThrottledException throttled) {
            throw new ApiException(
                    ErrorCode.RATE_LIMITED, "Too many unknown tokens from this address; retry in a second.");
        }
        if (caller.isEmpty()) {
            return signInRefused(
                    request,
                    new ApiException(ErrorCode.UNAUTHENTICATED, "That token is unknown, expired or revoked.", "token"));
        }
        if (!ConsoleFilter.mayUseTheConsole(caller.get())) {
            return signInRefused(
                    request,
                    new ApiException(
                            ErrorCode.FORBIDDEN,
                            "Only an admin's, a project admin's or a deployer's token can sign in; a "
                                    + caller.get().role().wireName() + " token cannot.",
                            "token"));
        }
        // A new CSRF secret at sign-in: a token planted in the signed-out session is worth nothing after.
        request.setAttribute(
                ConsoleFilter.SESSION,
                new ConsoleSession(new CallerToken(token), seal.newCsrf(), clock.instant(), clock.instant()));
        return ConsolePages.seeOther(ProjectsController.PROJECTS);
    }

    @Post("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> signOut(HttpRequest<?> request, @Body Map<String, String> form) {
        guard.write(request, form.get("csrf"));
        request.setAttribute(
                ConsoleFilter.SESSION, new ConsoleSession(null, seal.newCsrf(), clock.instant(), clock.instant()));
        return ConsolePages.seeOther(SIGN_IN);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }

    /** The sign-in page again, with why, at the problem's status. */
    private HttpResponse<ModelAndView<Map<String, Object>>> signInRefused(
            HttpRequest<?> request, ApiException refused) {
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(
                        refused.errorCode().status())
                .body(new ModelAndView<>("console/sign-in", signInModel(request, refused)));
    }

    private Map<String, Object> signInModel(HttpRequest<?> request, @Nullable ApiException refused) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Sign in");
        model.put("csrf", guard.csrf(request));
        if (refused != null) {
            model.put("error", refused.getMessage());
            model.put("code", refused.errorCode().code());
        }
        return model;
    }
}
