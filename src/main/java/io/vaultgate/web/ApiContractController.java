package io.vaultgate.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /openapi.yml}: the API contract, open to everyone like the health probes, since it
 * holds nothing of this installation; clients and contract tests read it before they hold a token.
 */
@Hidden
@Controller
class ApiContractController {

    static final String PATH = "/openapi.yml";

    private final ApiContract contract;

    ApiContractController(ApiContract contract) {
        this.contract = contract;
    }

    @Get(PATH)
    @Produces("application/yaml")
    byte[] document() {
        return contract.document();
    }
}
