package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.RealStack;
import io.vaultgate.testing.VaultHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway's own Vault token, stolen: every way we know to turn it into more than its KV
 * mount, tried against real OpenBao with exactly the policy and roles of {@code vault-config/}.
 * Each attempt must be refused by Vault itself, not by gateway code. What the token can still do
 * is pinned down at the end, as {@code vault-config/README.md} states it.
 */
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTokenEscalationIT {

    private static final String SUDO_EVERYWHERE = """
            path "*" {
              capabilities = ["create", "read", "update", "delete", "list", "sudo"]
            }
            """;

    private final RealStack stack = RealStack.forClass(GatewayTokenEscalationIT.class);
    private String gateway;
    private String root;
    private String tokenAccessor;
    private String privilegedEntityId;
    private String aliasPrefix;

    @BeforeAll
    void learnTheTargets() {
        gateway = stack.gatewayToken();
        root = stack.rootToken();
        tokenAccessor = stack.vault("GET", "sys/auth", root, null)
                .body()
                .path("token/")
                .path("accessor")
                .asText();
        assertThat(tokenAccessor).startsWith("auth_token_");
        // Someone else's identity that holds real power: what an attacker would like to become.
        ok(stack.vault("PUT", "sys/policies/acl/it-escalation-sudo", root, Map.of("policy", SUDO_EVERYWHERE)));
        privilegedEntityId = ok(stack.vault(
                        "POST",
                        "identity/entity",
                        root,
                        Map.of(
                                "name",
                                "it-escalation-alice-" + stack.pathPrefix(),
                                "policies",
                                List.of("it-escalation-sudo"))))
                .path("data")
                .path("id")
                .asText();
        aliasPrefix = "vaultgate-deployment." + stack.kvMount() + "." + stack.pathPrefix() + ".";
    }

    @Test
    void theGatewayTokenCannotWriteAnyPolicy() {
        for (String name : List.of(
                "vaultgate-deployment." + stack.kvMount() + ".x",
                "vaultgate-workload",
                "vaultgate-gateway",
                "vaultgate-admin",
                "default",
                "anything")) {
            assertThat(status("PUT", "sys/policies/acl/" + name, Map.of("policy", SUDO_EVERYWHERE)))
                    .as("policy write %s", name)
                    .isEqualTo(403);
            assertThat(status("PUT", "sys/policy/" + name, Map.of("policy", SUDO_EVERYWHERE)))
                    .as("legacy policy write %s", name)
                    .isEqualTo(403);
        }
    }

    @Test
    void theIssuesEscalationWritePolicyThenMintWithItIsRefused() {
        String name = "vaultgate-deployment." + stack.kvMount() + ".x";
        int written = status("PUT", "sys/policies/acl/" + name, Map.of("policy", SUDO_EVERYWHERE));
        VaultHttp.Response minted =
                call("POST", "auth/token/create/vaultgate-workload", Map.of("policies", List.of(name)));

        assertThat(written).isEqualTo(403);
        assertThat(minted.ok()).as(minted.errors()).isFalse();
    }

    @Test
    void theTokenRolesMintNoPolicyButTheirOwn() {
        for (List<String> policies : List.of(
                List.of("root"),
                List.of("vaultgate-gateway"),
                List.of("vaultgate-admin"),
                List.of("default"),
                List.of("vaultgate-workload", "vaultgate-admin"),
                List.of("it-escalation-sudo"),
                List.of("vaultgate-deployment." + stack.kvMount() + ".x"))) {
            assertThat(call("POST", "auth/token/create/vaultgate-workload", Map.of("policies", policies))
                            .ok())
                    .as("workload role with %s", policies)
                    .isFalse();
            assertThat(call("POST", "auth/token/create/vaultgate-operator", Map.of("policies", policies))
                            .ok())
                    .as("operator role with %s", policies)
                    .isFalse();
        }
        for (String path :
                List.of("auth/token/create", "auth/token/create-orphan", "auth/token/create/some-other-role")) {
            assertThat(status("POST", path, Map.of("policies", List.of("default"))))
                    .as(path)
                    .isEqualTo(403);
        }
        // The operator role binds no identity, so it cannot be pointed at an entity either.
        assertThat(call(
                                "POST",
                                "auth/token/create/vaultgate-operator",
                                Map.of(
                                        "policies",
                                        List.of("vaultgate-deployer"),
                                        "entity_alias",
                                        aliasPrefix + "operator"))
                        .ok())
                .isFalse();
    }

    @Test
    void theGatewayTokenCannotChangeRolesAuthMethodsOrMounts() {
        assertThat(status("POST", "auth/token/roles/vaultgate-workload", Map.of("allowed_policies", "root")))
                .isEqualTo(403);
        assertThat(status("POST", "auth/token/roles/vaultgate-operator", Map.of("allowed_policies", "root")))
                .isEqualTo(403);
        assertThat(status("POST", "auth/token/roles/it-new-role", Map.of("allowed_policies", "root")))
                .isEqualTo(403);
        assertThat(status("POST", "sys/auth/it-userpass", Map.of("type", "userpass")))
                .isEqualTo(403);
        assertThat(status("POST", "sys/mounts/it-kv", Map.of("type", "kv"))).isEqualTo(403);
        assertThat(status("POST", "sys/mounts/" + stack.kvMount() + "/tune", Map.of("max_lease_ttl", "87600h")))
                .isEqualTo(403);
    }

    @Test
    void theGatewayTokenCannotGiveAnEntityPoliciesNorJoinAGroup() {
        Map<String, Object> withPolicies =
                Map.of("name", aliasPrefix + "entity", "policies", List.of("it-escalation-sudo"));
        assertThat(status("POST", "identity/entity", withPolicies)).isEqualTo(403);
        assertThat(status(
                        "POST", "identity/entity/name/" + aliasPrefix + "entity", Map.of("policies", List.of("root"))))
                .isEqualTo(403);
        assertThat(status("POST", "identity/entity/id/" + privilegedEntityId, Map.of("metadata", Map.of("a", "b"))))
                .isEqualTo(403);
        assertThat(status(
                        "POST",
                        "identity/group",
                        Map.of(
                                "name",
                                "it-escalation-group",
                                "policies",
                                List.of("it-escalation-sudo"),
                                "member_entity_ids",
                                List.of(privilegedEntityId))))
                .isEqualTo(403);
        assertThat(status(
                        "POST",
                        "identity/entity/merge",
                        Map.of("to_entity_id", privilegedEntityId, "from_entity_ids", List.of(privilegedEntityId))))
                .isEqualTo(403);
    }

    @Test
    void aDeploymentAliasCannotBeBoundToSomeoneElsesEntityNorLeaveItsNamespace() {
        String name = aliasPrefix + "p.e.bound";
        assertThat(status(
                        "POST",
                        "identity/entity-alias",
                        Map.of("name", name, "mount_accessor", tokenAccessor, "canonical_id", privilegedEntityId)))
                .isEqualTo(403);
        assertThat(status(
                        "POST",
                        "identity/entity-alias",
                        Map.of("name", "it-escalation-outside", "mount_accessor", tokenAccessor)))
                .isEqualTo(403);
        ok(stack.vault(
                "POST", "sys/auth/it-escalation-userpass-" + stack.pathPrefix(), root, Map.of("type", "userpass")));
        String userpass = stack.vault("GET", "sys/auth", root, null)
                .body()
                .path("it-escalation-userpass-" + stack.pathPrefix() + "/")
                .path("accessor")
                .asText();
        assertThat(status("POST", "identity/entity-alias", Map.of("name", name, "mount_accessor", userpass)))
                .isEqualTo(403);

        // An alias the gateway made may be re-labelled (that is how a deployment follows its
        // environment's type), never moved to another entity.
        String aliasId = ok(call(
                        "POST", "identity/entity-alias", deploymentAlias(name, metadata("p", "e", "s", "production"))))
                .path("data")
                .path("id")
                .asText();
        assertThat(status("POST", "identity/entity-alias/id/" + aliasId, Map.of("canonical_id", privilegedEntityId)))
                .isEqualTo(403);
        assertThat(status(
                        "POST",
                        "identity/entity-alias",
                        Map.of(
                                "id",
                                aliasId,
                                "name",
                                name,
                                "mount_accessor",
                                tokenAccessor,
                                "canonical_id",
                                privilegedEntityId)))
                .isEqualTo(403);
        assertThat(status("DELETE", "identity/entity-alias/id/" + aliasId, null))
                .isEqualTo(403);
        JsonNode minted = mint(name);
        assertThat(minted.path("identity_policies")).isEmpty();
        assertThat(minted.path("policies")).extracting(JsonNode::asText).containsExactly("vaultgate-workload");
    }

    @Test
    void aTokenMintedWithCraftedMetadataReachesNothingOutsideItsEntries() {
        writeEntry("victim", Map.of("SECRET", "s"));
        List<Map<String, String>> crafted = new ArrayList<>();
        for (String hostile : List.of("*", "+", "..", "victim/..", "a/b", "victim/env/*", "{{identity.entity.id}}")) {
            crafted.add(metadata(hostile, hostile, hostile, hostile));
            Map<String, String> prefixOnly = new LinkedHashMap<>(metadata("p", "e", "s", "production"));
            prefixOnly.put("prefix", hostile);
            crafted.add(prefixOnly);
        }
        int n = 0;
        for (Map<String, String> metadata : crafted) {
            String name = aliasPrefix + "crafted.x.y" + n++;
            ok(call("POST", "identity/entity-alias", deploymentAlias(name, metadata)));
            String token = mint(name).path("client_token").asText();

            for (String path : List.of(
                    "sys/policies/acl",
                    "sys/policies/acl/vaultgate-gateway",
                    "sys/auth",
                    "auth/token/lookup-self",
                    "cubbyhole/x",
                    stack.kvMount() + "/data/" + stack.pathPrefix() + "/victim",
                    stack.kvMount() + "/metadata/" + stack.pathPrefix() + "/victim",
                    stack.kvMount() + "/data/" + stack.pathPrefix() + "/victim/env/e/svc/s")) {
                assertThat(stack.vault("GET", path, token, null).status())
                        .as("%s with %s", path, metadata)
                        .isIn(400, 403);
            }
            assertThat(stack.vault("POST", "auth/token/create", token, Map.of()).status())
                    .isIn(400, 403);
            assertThat(stack.vault("PUT", "sys/policies/acl/x", token, Map.of("policy", SUDO_EVERYWHERE))
                            .status())
                    .isIn(400, 403);
        }
    }

    @Test
    void aWorkloadTokenReadsTheCurrentVersionOfItsEntriesOnly() {
        writeEntry("p", Map.of("OLD", "deleted-since"));
        writeEntry("p", Map.of("NEW", "current"));
        writeEntry("q", Map.of("OTHER", "project"));
        String name = aliasPrefix + "p.e.reader";
        ok(call("POST", "identity/entity-alias", deploymentAlias(name, metadata("p", "e", "reader", "production"))));
        String token = mint(name).path("client_token").asText();
        String data = stack.kvMount() + "/data/" + stack.pathPrefix() + "/";

        VaultHttp.Response current = stack.vault("GET", data + "p", token, null);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.body().path("data").path("data").has("NEW")).isTrue();
        assertThat(stack.vault("GET", data + "p?version=1", token, null).status())
                .isEqualTo(403);
        assertThat(stack.vault("GET", data + "p?version=2", token, null).status())
                .isEqualTo(403);
        assertThat(stack.vault("GET", stack.kvMount() + "/metadata/" + stack.pathPrefix() + "/p", token, null)
                        .status())
                .isEqualTo(403);
        assertThat(stack.vault("GET", data + "q", token, null).status()).isEqualTo(403);
        assertThat(stack.vault("POST", data + "p", token, Map.of("data", Map.of("X", "y")))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aMintedTokenGetsNoMoreTimeNoRenewalAndNoDefaultPolicyWhateverItAsks() {
        String name = aliasPrefix + "p.e.long";
        ok(call("POST", "identity/entity-alias", deploymentAlias(name, metadata("p", "e", "long", "production"))));
        Map<String, Object> greedy = new LinkedHashMap<>();
        greedy.put("policies", List.of("vaultgate-workload"));
        greedy.put("entity_alias", name);
        greedy.put("ttl", "8760h");
        greedy.put("explicit_max_ttl", "8760h");
        greedy.put("renewable", true);
        greedy.put("no_default_policy", false);
        Map<String, Object> periodic = new LinkedHashMap<>(greedy);
        periodic.put("period", "8760h");
        assertThat(call("POST", "auth/token/create/vaultgate-workload", periodic)
                        .ok())
                .isFalse();
        JsonNode auth =
                ok(call("POST", "auth/token/create/vaultgate-workload", greedy)).path("auth");

        assertThat(auth.path("lease_duration").asLong()).isLessThanOrEqualTo(3600);
        assertThat(auth.path("renewable").asBoolean()).isFalse();
        assertThat(auth.path("policies")).extracting(JsonNode::asText).containsExactly("vaultgate-workload");
        assertThat(stack.vault(
                                "POST",
                                "auth/token/renew-self",
                                auth.path("client_token").asText(),
                                Map.of())
                        .status())
                .isIn(400, 403);
    }

    /** What vault-config/README.md says the gateway's token can still do to tokens it did not mint. */
    @Test
    void toTokensItDidNotMintTheGatewayCanOnlyLookUpAndRevokeThoseItIsShown() {
        JsonNode someone = ok(stack.vault(
                        "POST", "auth/token/create", root, Map.of("policies", List.of("default"), "ttl", "10m")))
                .path("auth");
        String token = someone.path("client_token").asText();
        String accessor = someone.path("accessor").asText();

        assertThat(status("POST", "auth/token/lookup-accessor", Map.of("accessor", accessor)))
                .isEqualTo(403);
        assertThat(status("LIST", "auth/token/accessors", null)).isEqualTo(403);
        assertThat(status("POST", "auth/token/renew", Map.of("token", token))).isEqualTo(403);
        assertThat(status("POST", "auth/token/renew-accessor", Map.of("accessor", accessor)))
                .isEqualTo(403);
        assertThat(status("POST", "auth/token/revoke", Map.of("token", token))).isEqualTo(403);
        assertThat(status("POST", "auth/token/revoke-orphan", Map.of("token", token)))
                .isEqualTo(403);
        assertThat(status("POST", "auth/token/tidy", Map.of())).isEqualTo(403);
        // Residual, documented: a token presented to the gateway can be looked up, and any token
        // whose accessor it knows can be revoked (Vault cannot scope revoke-accessor to a role).
        assertThat(call("POST", "auth/token/lookup", Map.of("token", token)).status())
                .isEqualTo(200);
        assertThat(status("POST", "auth/token/revoke-accessor", Map.of("accessor", accessor)))
                .isEqualTo(204);
        assertThat(stack.vault("GET", "auth/token/lookup-self", token, null).status())
                .isEqualTo(403);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Map<String, Object> deploymentAlias(String name, Map<String, String> metadata) {
        return Map.of("name", name, "mount_accessor", tokenAccessor, "custom_metadata", metadata);
    }

    private Map<String, String> metadata(String project, String environment, String service, String type) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("prefix", stack.pathPrefix());
        metadata.put("project", project);
        metadata.put("environment", environment);
        metadata.put("service", service);
        metadata.put("environment_type", type);
        return metadata;
    }

    /** A workload token bound to the alias, minted as the gateway would: the {@code auth} block. */
    private JsonNode mint(String aliasName) {
        return ok(call(
                        "POST",
                        "auth/token/create/vaultgate-workload",
                        Map.of("policies", List.of("vaultgate-workload"), "entity_alias", aliasName, "ttl", "5m")))
                .path("auth");
    }

    private void writeEntry(String entry, Map<String, String> values) {
        ok(stack.vault(
                "POST", stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + entry, root, Map.of("data", values)));
    }

    private VaultHttp.Response call(String method, String path, Object body) {
        return stack.vault(method, path, gateway, body);
    }

    private int status(String method, String path, Object body) {
        return call(method, path, body).status();
    }

    private static JsonNode ok(VaultHttp.Response response) {
        assertThat(response.ok()).as(response.errors()).isTrue();
        return response.body();
    }
}
