package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.identity.DeploymentIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

class VaultIdentityOperationsTest {

    @Test
    void aDeploymentsAliasNameCarriesMountPrefixAndSlugsInLowerCaseWithinTheRolesNameSpace() {
        DeploymentIdentity api = new DeploymentIdentity("acme", "production", "production", "api", List.of());

        assertThat(VaultIdentityOperations.aliasName("Team/VaultGate", "IT-1", api))
                .isEqualTo("vaultgate-deployment.team.vaultgate.it-1.acme.production.api");
        assertThat(VaultIdentityOperations.aliasName("vaultgate", "projects", api))
                .startsWith("vaultgate-deployment.vaultgate.");
    }
}
