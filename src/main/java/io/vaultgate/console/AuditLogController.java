package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import io.vaultgate.access.Access;
import io.vaultgate.audit.AuditFilter;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.audit.AuditRecord;
import io.vaultgate.audit.ProjectIds;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.OpenPaths;
import java.util.Map;

/**
 * A project's audit log, newest first, paged, filtered by actor, key and change-set; read by the
 * API's audit readers (admin, the project's admins). Audit rows hold names, never values.
 */
// HTML pages, not API operations: kept out of the API contract, whose operation ids they would share.
@Hidden
@Controller(OpenPaths.CONSOLE + "/projects/{project}/audit")
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditLogController {

    private static final int PAGE = 50;

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final AuditLog audit;
    private final ProjectIds projects;

    AuditLogController(ConsoleGuard guard, ConsolePages pages, AuditLog audit, ProjectIds projects) {
        this.guard = guard;
        this.pages = pages;
        this.audit = audit;
        this.projects = projects;
    }

    @Get
    HttpResponse<?> auditLog(
            HttpRequest<?> request,
            @PathVariable String project,
            @QueryValue @Nullable String page,
            @QueryValue @Nullable String actor,
            @QueryValue @Nullable String key,
            @QueryValue @Nullable String changeSet) {
        ConsoleGuard.Signed signed = guard.read(request);
        Access.requireProjectAdmin(signed.caller(), project);
        int number = (int) QueryNumbers.parse("page", page, 0, 0, Integer.MAX_VALUE);
        AuditFilter filter = new AuditFilter(actor, key, changeSet);
        Page<AuditRecord> records = audit.newestFirst(projects.requireId(project), filter, number, PAGE);
        Map<String, Object> model = pages.model(signed, "Audit log of " + project);
        model.put("project", project);
        model.put("filter", filter);
        model.put("records", records.getContent());
        model.put("page", number);
        model.put("total", records.getTotalSize());
        model.put("pages", Math.max(1, records.getTotalPages()));
        return ConsolePages.page("console/audit", model);
    }

    @Error(exception = ApiException.class)
    HttpResponse<ModelAndView<Map<String, Object>>> refused(HttpRequest<?> request, ApiException refused) {
        return pages.problem(request, refused);
    }
}
