package io.vaultgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.project.DeploymentRef;
import io.vaultgate.values.EntryPath;
import org.junit.jupiter.api.Test;

class DeploymentIdentitiesTest {

    @Test
    void aDeploymentsIdentityListsTheEntriesOfItsChainAndItsEnvironmentsType() {
        DeploymentIdentity identity =
                DeploymentIdentities.identityOf(new DeploymentRef(1L, 2L, "acme", "pr-7", "api", "preview"));

        assertThat(identity.environmentType()).isEqualTo("preview");
        assertThat(identity.entries())
                .extracting(EntryPath::path)
                .containsExactly("acme", "acme/type/preview", "acme/env/pr-7", "acme/svc/api", "acme/env/pr-7/svc/api");
    }
}
