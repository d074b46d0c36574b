package io.vaultgate.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.Bound;
import io.vaultgate.web.ErrorCode;
import io.vaultgate.web.ProblemResponses;
import java.util.List;

/** The audit log of one project, newest first, paged. */
@ProblemResponses
@ProblemResponses.BadRequest
@ProblemResponses.NotFound
@Controller("/v1/projects/{project}/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    private static final int MAX_PAGE_SIZE = 500;

    private final AuditLog audit;
    private final ProjectIds projects;

    AuditController(AuditLog audit, ProjectIds projects) {
        this.audit = audit;
        this.projects = projects;
    }

    record AuditPage(String project, int page, int size, long total, List<AuditRecord> records) {}

    /** The project's audit records, newest first, a page at a time (admin or project admin). */
    @Operation(operationId = "listAuditRecords")
    @Get
    @ApiResponse(
            responseCode = "200",
            description = "A page of the project's audit records, newest first.",
            useReturnTypeSchema = true)
    AuditPage list(
            @PathVariable String project,
            @Schema(description = "0 for the newest records.", minimum = "0")
                    @Parameter(allowEmptyValue = true)
                    @QueryValue
                    @Nullable
                    Integer page,
            @Schema(description = "Records a page, 50 by default.", minimum = "1", maximum = "" + MAX_PAGE_SIZE)
                    @Parameter(allowEmptyValue = true)
                    @QueryValue
                    @Nullable
                    Integer size,
            @Bound Caller caller) {
        Access.requireProjectAdmin(caller, project);
        int pageNumber = page == null ? 0 : page;
        int pageSize = size == null ? 50 : size;
        if (pageNumber < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new ApiException(
                    ErrorCode.INVALID_REQUEST,
                    "page is 0 or more and size is 1 to " + MAX_PAGE_SIZE + ".",
                    pageNumber < 0 ? "page" : "size");
        }
        Page<AuditRecord> records = audit.newestFirst(projects.requireId(project), pageNumber, pageSize);
        return new AuditPage(project, pageNumber, pageSize, records.getTotalSize(), records.getContent());
    }
}
