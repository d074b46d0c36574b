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
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.ratelimit.RateLimited;
import io.vaultgate.scope.Scope;
import io.vaultgate.secret.SecretBodies;
import io.vaultgate.secret.SecretService;
import io.vaultgate.secret.SecretViews;
import io.vaultgate.secret.SecretWrite;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.RestartMode;
import io.vaultgate.web.WriteFlags;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A scope's secrets (metadata only, never a value), a key's history, and every change to them:
 * set (typed into a write-only field or read from an uploaded file), delete and roll back. Each
 * change is first run as the API's dry run and shown as its impact ("this restarts N
 * deployments"), then applied as it was previewed, with restart events or with
 * {@code restart=none}. Every call goes to {@link SecretService} with the signed-in caller, which
 * checks the role exactly as for the API. The preview's form posts with {@code ?dryRun=true}, so
 * the API's per-token dry-run limit counts it: a dry run tells whether a guess equals the value.
 */
@RateLimited
@Hidden
@Controller(ProjectsController.PROJECTS + "/{project}/secrets")
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class SecretsController {

    /** How long a preview may be applied: past it the impact may no longer be what was shown. */
    private static final Duration PREVIEW_LIFETIME = Duration.ofMinutes(15);

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final SecretService secrets;
    private final SessionSeal seal;
    private final Clock clock;

    SecretsController(ConsoleGuard guard, ConsolePages pages, SecretService secrets, SessionSeal seal, Clock clock) {
        this.guard = guard;
        this.pages = pages;
        this.secrets = secrets;
        this.seal = seal;
        this.clock = clock;
    }

    static String pathOf(Scope scope) {
        return ProjectsController.PROJECTS + "/" + scope.project() + "/secrets?at="
                + URLEncoder.encode(ConsoleScopes.at(scope), StandardCharsets.UTF_8);
    }

    @Get
    HttpResponse<?> list(
            HttpRequest<?> request,
            @PathVariable String project,
            @QueryValue @Nullable String at,
            @QueryValue @Nullable String saved,
            @QueryValue @Nullable Integer imported) {
        ConsoleGuard.Signed signed = guard.read(request);
        Scope scope = ConsoleScopes.parse(project, at);
        SecretViews.SecretList list = secrets.list(signed.caller(), scope);
        Map<String, Object> model = pages.model(signed, "Secrets of " + ConsoleScopes.describe(scope));
        model.put("project", project);
        model.put("at", ConsoleScopes.at(scope));
        model.put("scopeName", ConsoleScopes.describe(scope));
        model.put("scopePath", scope.apiPath());
        model.put("secrets", list.secrets());
        model.put("saved", saved);
        model.put("imported", imported);
        model.put("mayChange", ConsolePages.mayChange(signed.caller(), project));
        return ConsolePages.page("console/secrets", model);
    }

    @Get("/history")
    HttpResponse<?> history(
            HttpRequest<?> request,
            @PathVariable String project,
            @QueryValue @Nullable String at,
            @QueryValue String key) {
        ConsoleGuard.Signed signed = guard.read(request);
        Scope scope = ConsoleScopes.parse(project, at);
        SecretViews.History history = secrets.versions(signed.caller(), scope, key);
        Map<String, Object> model = pages.model(signed, "History of " + key);
        model.put("project", project);
        model.put("at", ConsoleScopes.at(scope));
        model.put("scopeName", ConsoleScopes.describe(scope));
        model.put("backTo", pathOf(scope));
        model.put("history", history);
        List<SecretViews.VersionView> newestFirst = new ArrayList<>(history.versions());
        Collections.reverse(newestFirst);
        model.put("versions", newestFirst);
        model.put("mayChange", ConsolePages.mayChange(signed.caller(), project));
        return ConsolePages.page("console/history", model);
    }

    /** The impact of setting a value, typed or uploaded; nothing is written yet. */
    @Post("/preview")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> previewSet(
            HttpRequest<?> request,
            @PathVariable String project,
            @Part("csrf") @Nullable String csrf,
            @Part("at") @Nullable String at,
            @Part("key") @Nullable String key,
            @Part("value") @Nullable String typed,
            @Part("file") @Nullable CompletedFileUpload file) {
        ConsoleGuard.Signed signed = guard.write(request, csrf);
        Scope scope = ConsoleScopes.parse(project, at);
        String name = key == null ? "" : key.strip();
        String value = valueOf(typed, file);
        Integer seen = currentVersion(signed, scope, name);
        SecretViews.WriteView impact =
                secrets.set(write(signed, dryRun(), null), scope, name, new SecretBodies.SetBody(value, seen));
        return preview(
                request,
                signed,
                scope,
                impact.restarts(),
                new PendingChange(
                        PendingChange.Kind.SET,
                        ConsoleScopes.at(scope),
                        name,
                        value,
                        null,
                        seen,
                        newKey(),
                        clock.instant()));
    }

    /**
     * The impact of importing a .env file, uploaded or pasted, through the API's dry run: which
     * keys it creates, updates or leaves unchanged and which deployments it restarts. A bad line
     * is refused here, naming the line, before anything could be applied.
     */
    @Post("/import-preview")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> previewImport(
            HttpRequest<?> request,
            @PathVariable String project,
            @Part("csrf") @Nullable String csrf,
            @Part("at") @Nullable String at,
            @Part("dotenv") @Nullable String pasted,
            @Part("file") @Nullable CompletedFileUpload file) {
        ConsoleGuard.Signed signed = guard.write(request, csrf);
        Scope scope = ConsoleScopes.parse(project, at);
        DotenvInput dotenv = DotenvInput.of(pasted, file);
        SecretViews.ImportView impact =
                dotenv.refusedAs(() -> secrets.importDotenv(write(signed, dryRun(), null), scope, dotenv.text()));
        PendingChange change = new PendingChange(
                PendingChange.Kind.IMPORT,
                ConsoleScopes.at(scope),
                "",
                dotenv.text(),
                null,
                null,
                newKey(),
                clock.instant());
        Map<String, Object> model = pages.model(signed, "Preview: import a .env");
        model.put("project", scope.project());
        model.put("scopeName", ConsoleScopes.describe(scope));
        model.put("backTo", pathOf(scope));
        model.put("created", impact.created());
        model.put("updated", impact.updated());
        model.put("unchanged", impact.unchanged());
        model.put("restarts", impact.restarts() == null ? List.of() : impact.restarts());
        model.put("change", seal.sealForm(ConsoleGuard.session(request), change.bytes()));
        return ConsolePages.page("console/import-preview", model);
    }

    @Post("/delete-preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> previewDelete(
            HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        Scope scope = ConsoleScopes.parse(project, form.get("at"));
        String key = form.getOrDefault("key", "");
        Integer seen = currentVersion(signed, scope, key);
        Optional<SecretViews.WriteView> impact = secrets.delete(write(signed, dryRun(), null), scope, key, seen);
        return preview(
                request,
                signed,
                scope,
                impact.map(SecretViews.WriteView::restarts).orElse(List.of()),
                new PendingChange(
                        PendingChange.Kind.DELETE,
                        ConsoleScopes.at(scope),
                        key,
                        null,
                        null,
                        seen,
                        newKey(),
                        clock.instant()));
    }

    @Post("/rollback-preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> previewRollback(
            HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        Scope scope = ConsoleScopes.parse(project, form.get("at"));
        String key = form.getOrDefault("key", "");
        Integer version = number(form.get("version"), "version");
        Integer seen = currentVersion(signed, scope, key);
        SecretViews.WriteView impact = secrets.rollback(
                write(signed, dryRun(), null), scope, key, new SecretBodies.RollbackBody(version, seen));
        return preview(
                request,
                signed,
                scope,
                impact.restarts(),
                new PendingChange(
                        PendingChange.Kind.ROLLBACK,
                        ConsoleScopes.at(scope),
                        key,
                        null,
                        version,
                        seen,
                        newKey(),
                        clock.instant()));
    }

    /** Applies a previewed change as it was previewed; {@code restart=none} applies it without restart events. */
    @Post("/apply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> apply(HttpRequest<?> request, @PathVariable String project, @Body Map<String, String> form) {
        ConsoleGuard.Signed signed = guard.write(request, form.get("csrf"));
        PendingChange change = Optional.ofNullable(form.get("change"))
                .flatMap(carried -> seal.openForm(ConsoleGuard.session(request), carried))
                .flatMap(PendingChange::of)
                .filter(opened -> opened.previewedAt().plus(PREVIEW_LIFETIME).isAfter(clock.instant()))
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_REQUEST,
                        "This preview is from another session or older than " + PREVIEW_LIFETIME.toMinutes()
                                + " minutes: preview the change again.",
                        "change"));
        Scope scope = ConsoleScopes.parse(project, change.at());
        // The pressed button names the choice; without it nothing is applied, rather than the API's default.
        String choice = form.get("restart");
        if (choice == null) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "Choose how to apply: with restart events or without restarts (restart=none).",
                    "restart");
        }
        RestartMode restart = WriteFlags.parse(null, null, choice).restart();
        SecretWrite write = write(signed, new WriteFlags(false, false, restart), change.idempotencyKey());
        String outcome = switch (change.kind()) {
            case SET -> {
                secrets.set(
                        write, scope, change.key(), new SecretBodies.SetBody(change.value(), change.expectedVersion()));
                yield saved(change.key());
            }
            case DELETE -> {
                secrets.delete(write, scope, change.key(), change.expectedVersion());
                yield saved(change.key());
            }
            case ROLLBACK -> {
                secrets.rollback(
                        write,
                        scope,
                        change.key(),
                        new SecretBodies.RollbackBody(change.version(), change.expectedVersion()));
                yield saved(change.key());
            }
            case IMPORT -> {
                SecretViews.ImportView imported = secrets.importDotenv(write, scope, change.value());
                yield "&imported="
                        + (imported.created().size()
                                + imported.updated().size()
                                + imported.unchanged().size());
            }
        };
        return ConsolePages.seeOther(pathOf(scope) + outcome);
    }

    private static String saved(String key) {
        return "&saved=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }

    private HttpResponse<?> preview(
            HttpRequest<?> request,
            ConsoleGuard.Signed signed,
            Scope scope,
            @Nullable List<SecretViews.RestartView> restarts,
            PendingChange change) {
        Map<String, Object> model =
                pages.model(signed, "Preview: " + change.kind().name().toLowerCase() + " " + change.key());
        model.put("project", scope.project());
        model.put("scopeName", ConsoleScopes.describe(scope));
        model.put("backTo", pathOf(scope));
        model.put("kind", change.kind().name().toLowerCase());
        model.put("key", change.key());
        model.put("version", change.version());
        model.put("restarts", restarts == null ? List.of() : restarts);
        model.put("change", seal.sealForm(ConsoleGuard.session(request), change.bytes()));
        return ConsolePages.page("console/preview", model);
    }

    /** The key's version now, to hold the apply to what the preview saw; 0 when the key is new. */
    private Integer currentVersion(ConsoleGuard.Signed signed, Scope scope, String key) {
        try {
            return secrets.get(signed.caller(), scope, key).version();
        } catch (ApiException notThere) {
            if (notThere.errorCode() == ErrorCode.SECRET_NOT_FOUND) {
                return 0;
            }
            throw notThere;
        }
    }

    private static SecretWrite write(ConsoleGuard.Signed signed, WriteFlags flags, @Nullable String idempotencyKey) {
        return new SecretWrite(signed.caller(), signed.actor(), flags, idempotencyKey);
    }

    private static WriteFlags dryRun() {
        return new WriteFlags(true, false, RestartMode.EVENTS);
    }

    private static String newKey() {
        return "console-" + UUID.randomUUID();
    }

    /** The typed value, or the uploaded file's text (a certificate, a key); not both, not neither. */
    private static String valueOf(@Nullable String typed, @Nullable CompletedFileUpload file) {
        boolean uploaded = file != null
                && file.getFilename() != null
                && !file.getFilename().isEmpty();
        boolean entered = typed != null && !typed.isEmpty();
        if (uploaded == entered) {
            throw new ApiException(
                    ErrorCode.INVALID_SECRET_VALUE,
                    uploaded ? "Give the value or a file, not both." : "Give the value, or a file to read it from.",
                    "value");
        }
        if (entered) {
            return typed;
        }
        return Uploads.utf8(file)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_SECRET_VALUE,
                        "The file " + file.getFilename() + " is not UTF-8 text; a value is text (PEM, not DER).",
                        "file"));
    }

    private static Integer number(@Nullable String text, String field) {
        try {
            return Integer.valueOf(text == null ? "" : text.strip());
        } catch (NumberFormatException notANumber) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Give " + field + " as a whole number.", field);
        }
    }
}
