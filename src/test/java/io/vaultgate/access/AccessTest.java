package io.vaultgate.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {

    private final AuthProperties auth = new AuthProperties(null, null, null, null, null, null, null, null, null, null);

    @Test
    void rolesComeFromPoliciesAndTheProjectFromMetadata() {
        assertThat(caller(Set.of("vaultgate-admin"), Map.of()).role()).isEqualTo(Caller.Role.ADMIN);
        assertThat(caller(Set.of("vaultgate-project-admin"), Map.of("project", "acme"))
                        .role())
                .isEqualTo(Caller.Role.PROJECT_ADMIN);
        assertThat(caller(Set.of("vaultgate-deployer"), Map.of("project", "acme"))
                        .project())
                .isEqualTo("acme");
        assertThat(caller(Set.of("vaultgate-deployer"), Map.of()).role())
                .as("no project: no role")
                .isEqualTo(Caller.Role.NONE);
        Caller workload = caller(
                Set.of("vaultgate-workload"), Map.of("project", "acme", "environment", "production", "service", "api"));
        assertThat(workload.role()).isEqualTo(Caller.Role.WORKLOAD);
        assertThat(workload.workload()).isEqualTo(new Caller.Workload("acme", "production", "api"));
        assertThat(caller(Set.of("vaultgate-workload"), Map.of("project", "acme", "service", "api"))
                        .role())
                .as("the workload policy without a whole deployment in metadata")
                .isEqualTo(Caller.Role.NONE);
        assertThat(caller(Set.of("default"), Map.of("project", "acme", "environment", "production", "service", "api"))
                        .role())
                .as("metadata alone")
                .isEqualTo(Caller.Role.NONE);
        assertThat(caller(Set.of("default"), Map.of("project", "acme")).role()).isEqualTo(Caller.Role.NONE);
    }

    @Test
    void aProjectRoleNeedsATokenThisGatewayMintedWhileAdminsComeFromVaultAlone() {
        TokenInfo projectAdmin =
                new TokenInfo("planted", "n", Set.of("vaultgate-project-admin"), Map.of("project", "acme"), null);
        TokenInfo workload = new TokenInfo(
                "planted",
                "n",
                Set.of("vaultgate-workload"),
                Map.of("project", "acme", "environment", "production", "service", "api"),
                null);
        TokenInfo admin = new TokenInfo("vault-made", "n", Set.of("vaultgate-admin"), Map.of(), null);

        assertThat(Access.callerOf(projectAdmin, auth, accessor -> false).role())
                .isEqualTo(Caller.Role.NONE);
        assertThat(Access.callerOf(projectAdmin, auth, accessor -> false).project())
                .isNull();
        assertThat(Access.callerOf(workload, auth, accessor -> false).workload())
                .isNull();
        assertThat(Access.callerOf(admin, auth, accessor -> false).role()).isEqualTo(Caller.Role.ADMIN);
        assertThat(Access.callerOf(projectAdmin, auth, "planted"::equals).role())
                .isEqualTo(Caller.Role.PROJECT_ADMIN);
    }

    @Test
    void aTokenOfAnotherProjectSeesNotFoundAndAShortRoleSeesForbidden() {
        Caller deployer = caller(Set.of("vaultgate-deployer"), Map.of("project", "acme"));
        Caller projectAdmin = caller(Set.of("vaultgate-project-admin"), Map.of("project", "acme"));
        Caller workload = caller(
                Set.of("vaultgate-workload"), Map.of("project", "acme", "environment", "production", "service", "api"));

        assertThatCode(() -> Access.requireProjectReader(deployer, "acme")).doesNotThrowAnyException();
        assertThatCode(() -> Access.requireProjectAdmin(projectAdmin, "acme")).doesNotThrowAnyException();
        assertCode(() -> Access.requireProjectAdmin(deployer, "acme"), "forbidden");
        assertCode(() -> Access.requireProjectReader(deployer, "other"), "project-not-found");
        assertCode(() -> Access.requireProjectAdmin(projectAdmin, "other"), "project-not-found");
        assertCode(() -> Access.requireAdmin(projectAdmin), "forbidden");
        assertCode(() -> Access.requireProjectReader(workload, "acme"), "forbidden");
        assertCode(() -> Access.requireProjectReader(workload, "other"), "project-not-found");
        assertCode(() -> Access.requireWorkload(deployer), "not-a-workload-token");
        assertThat(Access.requireWorkload(workload).service()).isEqualTo("api");
    }

    @Test
    void comparingValuesNeedsAProjectAdminWhileADeployerComparesOnlyKeys() {
        Caller deployer = caller(Set.of("vaultgate-deployer"), Map.of("project", "acme"));
        Caller projectAdmin = caller(Set.of("vaultgate-project-admin"), Map.of("project", "acme"));

        assertThatCode(() -> Access.requireValueComparison(caller(Set.of("vaultgate-admin"), Map.of()), "acme"))
                .doesNotThrowAnyException();
        assertThatCode(() -> Access.requireValueComparison(projectAdmin, "acme"))
                .doesNotThrowAnyException();
        assertCode(() -> Access.requireValueComparison(deployer, "acme"), "forbidden");
        assertThatThrownBy(() -> Access.requireValueComparison(deployer, "acme"))
                .hasMessageContaining("values=true needs a project admin token");
        assertCode(() -> Access.requireValueComparison(projectAdmin, "other"), "project-not-found");
    }

    @Test
    void metricsAreReadByAnAdminOrAMetricsTokenAndByNoProjectRole() {
        Caller scraper = caller(Set.of("vaultgate-metrics"), Map.of());

        assertThatCode(() -> Access.requireMetricsReader(caller(Set.of("vaultgate-admin"), Map.of()), auth))
                .doesNotThrowAnyException();
        assertThatCode(() -> Access.requireMetricsReader(scraper, auth)).doesNotThrowAnyException();
        assertThat(scraper.role()).as("a metrics token holds no other role").isEqualTo(Caller.Role.NONE);
        assertCode(
                () -> Access.requireMetricsReader(
                        caller(Set.of("vaultgate-project-admin"), Map.of("project", "acme")), auth),
                "forbidden");
        assertCode(
                () -> Access.requireMetricsReader(
                        caller(
                                Set.of("vaultgate-workload"),
                                Map.of("project", "acme", "environment", "production", "service", "api")),
                        auth),
                "forbidden");
        assertCode(() -> Access.requireMetricsReader(caller(Set.of("default"), Map.of()), auth), "forbidden");
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call)
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).errorCode().code())
                .isEqualTo(code);
    }

    private Caller caller(Set<String> tokenPolicies, Map<String, String> meta) {
        return Access.callerOf(new TokenInfo("acc", "name", tokenPolicies, meta, null), auth, accessor -> true);
    }
}
