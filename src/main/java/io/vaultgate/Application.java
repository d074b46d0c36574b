package io.vaultgate;

import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Starts the gateway. The annotations are the head of the API contract, which the build writes
 * from the controllers and the gateway serves at {@code /openapi.yml}.
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Vaultgate",
                        version = "v1",
                        description =
                                "A Vault-backed secrets gateway: secrets at five scopes, restart events, short-lived "
                                        + "tokens. Values are write-only: no answer of this API holds one but GET /v1/env's.",
                        license = @License(name = "Apache-2.0")),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
        name = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description =
                "A Vault token minted through the gateway (workload, deployer, project admin), or an admin token.")
public class Application {

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .mapError(BeanInstantiationException.class, RunMode::exitCode)
                .start();
    }
}
