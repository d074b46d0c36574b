package io.vaultgate.identity;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.delivery.EnvClient;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deployments as identities and the tokens minted for them, on real OpenBao and MariaDB, as the
 * gateway's least-privilege token. What the tokens are is checked in Vault itself, with the
 * root token, the way an operator would with {@code bao token lookup}.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadTokensIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT = "/v1/projects/acme/environments/production/services/api";
    private ApiClient api;
    private EnvClient env;

    @BeforeAll
    void createCatalog() {
        api = admin();
        env = new EnvClient(URI.create(server.getURL().toString()));
        for (String project : List.of("acme", "other")) {
            ok(api.put("/v1/projects/" + project, null));
            ok(api.put("/v1/projects/" + project + "/environments/production", json("type", "production")));
            ok(api.put("/v1/projects/" + project + "/environments/staging", json("type", "staging")));
            ok(api.put("/v1/projects/" + project + "/services/api", null));
            ok(api.put("/v1/projects/" + project + "/services/worker", null));
            for (String deployment :
                    List.of("production/services/api", "staging/services/api", "production/services/worker")) {
                ok(api.put("/v1/projects/" + project + "/environments/" + deployment, null));
            }
            ok(api.put("/v1/projects/" + project + "/secrets/WHO", json("value", project)));
        }
        ok(api.put("/v1/projects/acme/environment-types/production/secrets/TIER", json("value", "prod")));
        ok(api.put(DEPLOYMENT + "/secrets/ONLY_PROD_API", json("value", "p-a")));
    }

    @Test
    void aMintedTokenIsAnOrphanVaultTokenWithOnlyTheWorkloadPolicyBoundToItsDeploymentsIdentity() throws Exception {
        Answer minted = api.post(DEPLOYMENT + "/tokens", json());

        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        String token = minted.json().path("token").asText();
        assertThat(minted.json().path("ttlSeconds").asLong()).isEqualTo(900);
        JsonNode lookup =
                vault("POST", "auth/token/lookup", Map.of("token", token)).path("data");
        assertThat(lookup.path("policies")).extracting(JsonNode::asText).containsExactly("vaultgate-workload");
        assertThat(lookup.path("identity_policies")).isEmpty();
        assertThat(lookup.path("orphan").asBoolean()).isTrue();
        assertThat(lookup.path("renewable").asBoolean()).isFalse();
        assertThat(lookup.path("ttl").asLong()).isBetween(880L, 900L);
        assertThat(lookup.path("num_uses").asInt()).isZero();
        assertThat(lookup.path("meta").path("project").asText()).isEqualTo("acme");
        assertThat(lookup.path("meta").path("environment").asText()).isEqualTo("production");
        assertThat(lookup.path("meta").path("service").asText()).isEqualTo("api");
        assertThat(lookup.path("accessor").asText())
                .isEqualTo(minted.json().path("accessor").asText());
        // Bound to the deployment's entity alias, whose metadata the one workload policy reads by.
        JsonNode alias = aliasOf("acme.production.api");
        assertThat(lookup.path("entity_id").asText())
                .isEqualTo(alias.path("canonical_id").asText());
        assertThat(alias.path("custom_metadata"))
                .isEqualTo(JSON.valueToTree(Map.of(
                        "prefix",
                        stack().pathPrefix(),
                        "project",
                        "acme",
                        "environment",
                        "production",
                        "environment_type",
                        "production",
                        "service",
                        "api")));
        // So it reads exactly the five scope entries of the deployment (404: allowed, not written).
        String data = "vaultgate/data/" + stack().pathPrefix() + "/";
        for (String entry : List.of(
                "acme", "acme/type/production", "acme/env/production", "acme/svc/api", "acme/env/production/svc/api")) {
            assertThat(vaultAs(token, data + entry)).as(entry).isIn(200, 404);
        }
        for (String entry : List.of(
                "acme/type/staging",
                "acme/env/staging",
                "acme/svc/worker",
                "acme/env/production/svc/worker",
                "acme/env/staging/svc/api",
                "other",
                "acme/env",
                "acme/x")) {
            assertThat(vaultAs(token, data + entry)).as(entry).isEqualTo(403);
        }
        // The gateway stores no token: only its accessor.
        assertThat(databaseDump())
                .doesNotContain(token)
                .contains(minted.json().path("accessor").asText());
    }

    @Test
    void aWorkloadTokenReadsOnlyCurrentVersionsWhileBootFetchesDeliverAcknowledgedValues() throws Exception {
        String deployment = "/v1/projects/acme/environments/production/services/worker";
        ok(api.put(deployment + "/secrets/ROTATED", json("value", "first")));
        ok(api.put(deployment + "/secrets/ROTATED", json("value", "second")));
        String token = mint(deployment, json());
        String entry = "vaultgate/data/" + stack().pathPrefix() + "/acme/env/production/svc/worker";

        assertThat(vaultAs(token, entry)).isEqualTo(200);
        assertThat(vaultAs(token, entry + "?version=1")).as("an older version").isEqualTo(403);
        assertThat(JSON.readTree(env.fetch(token).body()).path("ROTATED").asText())
                .isEqualTo("second");

        // A version Vault holds but MySQL never acknowledged (a write between the two stores):
        // the token can read it, but a boot fetch delivers what was acknowledged.
        JsonNode acknowledged = vaultEntry("acme/env/production/svc/worker");
        Map<String, Object> unacknowledged =
                new java.util.HashMap<>(JSON.convertValue(acknowledged.path("data"), Map.class));
        unacknowledged.put("ROTATED", "never-acknowledged");
        vault("POST", entry, Map.of("data", unacknowledged));

        EnvClient.Fetch fetch = env.fetch(token);
        assertThat(fetch.status()).isEqualTo(200);
        assertThat(JSON.readTree(fetch.body()).path("ROTATED").asText()).isEqualTo("second");
    }

    @Test
    void aTokenThatWouldHoldMorePoliciesThanItsOwnIsNeverHandedOut() throws Exception {
        // An alias of the gateway's namespace bound by hand (with root) to an entity with a policy.
        String privileged = vault(
                        "POST",
                        "identity/entity",
                        Map.of("name", "it-privileged-" + stack().pathPrefix(), "policies", List.of("vaultgate-admin")))
                .path("data")
                .path("id")
                .asText();
        vault(
                "POST",
                "identity/entity-alias",
                Map.of(
                        "name",
                        bindingName("acme.production.hijacked"),
                        "mount_accessor",
                        tokenAuthAccessor(),
                        "canonical_id",
                        privileged));
        ok(api.put("/v1/projects/acme/services/hijacked", null));
        ok(api.put("/v1/projects/acme/environments/production/services/hijacked", null));
        long issued = count("SELECT COUNT(*) FROM issued_token");

        Answer minted = api.post("/v1/projects/acme/environments/production/services/hijacked/tokens", json());

        assertThat(minted.status()).as(minted.body()).isEqualTo(502);
        assertThat(minted.body()).doesNotContain("\"token\"");
        assertThat(count("SELECT COUNT(*) FROM issued_token")).isEqualTo(issued);
    }

    @Test
    void aTtlAboveTheMaximumIsRefusedWithAClearErrorNotCapped() {
        Answer tooLong = api.post(DEPLOYMENT + "/tokens", json("ttlSeconds", 3601));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.code()).isEqualTo("ttl-too-long");
        assertThat(tooLong.json().path("detail").asText()).contains("3600");
        assertThat(tooLong.json().path("field").asText()).isEqualTo("ttlSeconds");
        Answer max = api.post(DEPLOYMENT + "/tokens", json("ttlSeconds", 3600));
        assertThat(max.status()).isEqualTo(201);
        assertThat(max.json().path("ttlSeconds").asLong()).isEqualTo(3600);
        assertThat(api.post(DEPLOYMENT + "/tokens", json("numUses", -1)).code()).isEqualTo("invalid-num-uses");
    }

    @Test
    void aWorkloadTokenReadsItsOwnEnvironmentAndNothingElse() throws Exception {
        String token = mint(DEPLOYMENT, json());
        EnvClient.Fetch own = env.fetch(token);
        assertThat(own.status()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).path("WHO").asText()).isEqualTo("acme");
        assertThat(JSON.readTree(own.body()).path("ONLY_PROD_API").asText()).isEqualTo("p-a");

        ApiClient asWorkload = api.withToken(token);
        // Another deployment's or project's paths through the gateway.
        assertThat(asWorkload
                        .get("/v1/projects/acme/environments/staging/services/api/resolved")
                        .status())
                .isEqualTo(403);
        assertThat(asWorkload.get(DEPLOYMENT + "/secrets").status()).isEqualTo(403);
        assertThat(asWorkload
                        .post("/v1/projects/acme/environments/staging/services/api/tokens", json())
                        .status())
                .isEqualTo(403);
        Answer otherProject = asWorkload.get("/v1/projects/other/secrets");
        assertThat(otherProject.status()).isEqualTo(404);
        assertThat(otherProject.code()).isEqualTo("project-not-found");
        assertThat(asWorkload.get("/v1/projects").status()).isEqualTo(403);
        // And straight at Vault: the token's policy denies every other entry.
        String base = "vaultgate/data/" + stack().pathPrefix() + "/";
        assertThat(vaultAs(token, base + "acme/env/staging/svc/api")).isEqualTo(403);
        assertThat(vaultAs(token, base + "other")).isEqualTo(403);
        assertThat(vaultAs(token, base + "acme/env/production/svc/api")).isEqualTo(200);
        assertThat(vaultAs(token, "sys/policies/acl")).isEqualTo(403);
        // A token of another project's deployment reads that project's values.
        String otherToken = mint("/v1/projects/other/environments/production/services/api", json());
        assertThat(JSON.readTree(env.fetch(otherToken).body()).path("WHO").asText())
                .isEqualTo("other");
        assertThat(JSON.readTree(env.fetch(otherToken).body()).has("TIER")).isFalse();
        // Operator tokens get no environment.
        assertThat(env.fetch(stack().adminToken()).status()).isEqualTo(403);
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceAndRevokeAllTakesEveryTokenOfTheDeployment() {
        Answer minted = api.post(DEPLOYMENT + "/tokens", json());
        String token = minted.json().path("token").asText();
        assertThat(env.fetch(token).status()).isEqualTo(200);

        assertThat(api.delete("/v1/tokens/" + minted.json().path("accessor").asText())
                        .status())
                .isEqualTo(204);

        assertThat(env.fetch(token).status())
                .as("no cached lookup keeps it alive")
                .isEqualTo(401);
        assertThat(vault("POST", "auth/token/lookup", Map.of("token", token))
                        .path("data")
                        .isMissingNode())
                .isTrue();
        assertThat(api.delete("/v1/tokens/no-such-accessor").code()).isEqualTo("token-not-found");

        String first = mint("/v1/projects/acme/environments/staging/services/api", json());
        String second = mint("/v1/projects/acme/environments/staging/services/api", json());
        String elsewhere = mint(DEPLOYMENT, json());
        assertThat(env.fetch(first).status()).isEqualTo(200);
        Answer all = api.delete("/v1/projects/acme/environments/staging/services/api/tokens");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("revoked").asInt()).isEqualTo(2);
        assertThat(env.fetch(first).status()).isEqualTo(401);
        assertThat(env.fetch(second).status()).isEqualTo(401);
        assertThat(env.fetch(elsewhere).status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = mint(DEPLOYMENT, json("ttlSeconds", 2));
        assertThat(env.fetch(token).status()).isEqualTo(200);
        Thread.sleep(3_000);
        assertThat(env.fetch(token).status()).isEqualTo(401);
    }

    @Test
    void numUsesCountsBootFetchesNotVaultRequests() {
        Answer minted = api.post(DEPLOYMENT + "/tokens", json("numUses", 1));
        String once = minted.json().path("token").asText();
        assertThat(minted.json().path("numUses").asInt()).isEqualTo(1);
        assertThat(vault("POST", "auth/token/lookup", Map.of("token", once))
                        .path("data")
                        .path("num_uses")
                        .asInt())
                .as("five Vault uses: one per scope read")
                .isEqualTo(5);

        assertThat(env.fetch(once).status()).isEqualTo(200);
        assertThat(env.fetch(once).status()).as("past its use count").isIn(401, 403);

        String twice = mint(DEPLOYMENT, json("numUses", 2));
        assertThat(env.fetch(twice).status()).isEqualTo(200);
        assertThat(env.fetch(twice, null, Map.of("Accept", "text/x-shellscript"))
                        .status())
                .isEqualTo(200);
        assertThat(env.fetch(twice).status()).isIn(401, 403);

        // A token whose holder spent uses on Vault directly has fewer fetches, never a partial one.
        String spent = mint(DEPLOYMENT, json("numUses", 1));
        vaultAs(spent, "vaultgate/data/" + stack().pathPrefix() + "/acme");
        EnvClient.Fetch refused = env.fetch(spent);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("token-used-up");
    }

    @Test
    void aCurrentCopyIsConfirmedEvenWhenTheTokenHasNoFetchLeft() {
        String token = mint(DEPLOYMENT, json("numUses", 2));
        EnvClient.Fetch first = env.fetch(token);
        assertThat(first.status()).isEqualTo(200);
        vaultAs(token, "vaultgate/data/" + stack().pathPrefix() + "/acme");

        // Four Vault uses left, fewer than a fetch spends: a 304 reads nothing, so it spends nothing.
        EnvClient.Fetch confirmed = env.fetch(token, null, Map.of("If-None-Match", first.etag()));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(304);
        assertThat(confirmed.etag()).isEqualTo(first.etag());
        assertThat(vault("POST", "auth/token/lookup", Map.of("token", token))
                        .path("data")
                        .path("num_uses")
                        .asInt())
                .isEqualTo(4);
        assertThat(env.fetch(token).body()).contains("token-used-up");
    }

    @Test
    void aDeployerMintsWorkloadTokensAndReadsMetadataButNothingElse() throws Exception {
        Answer minted = api.post("/v1/projects/acme/operator-tokens", json("role", "deployer", "ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        String deployerToken = minted.json().path("token").asText();
        JsonNode lookup = vault("POST", "auth/token/lookup", Map.of("token", deployerToken))
                .path("data");
        assertThat(lookup.path("policies")).extracting(JsonNode::asText).containsExactly("vaultgate-deployer");
        assertThat(lookup.path("meta").path("project").asText()).isEqualTo("acme");
        ApiClient deployer = api.withToken(deployerToken);

        assertThat(deployer.post(DEPLOYMENT + "/tokens", json()).status()).isEqualTo(201);
        assertThat(deployer.get("/v1/projects/acme/secrets").status()).isEqualTo(200);
        assertThat(deployer.get("/v1/projects/acme").status()).isEqualTo(200);
        assertThat(deployer.get(DEPLOYMENT + "/resolved").status()).isEqualTo(200);
        // Admin and project-admin paths.
        assertThat(deployer.put("/v1/projects/acme/secrets/X", json("value", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(deployer.delete("/v1/projects/acme/secrets/WHO").status()).isEqualTo(403);
        assertThat(deployer.put("/v1/projects/acme/services/new", null).status())
                .isEqualTo(403);
        assertThat(deployer.put("/v1/projects/brand-new", null).status()).isEqualTo(403);
        assertThat(deployer.get("/v1/projects").status()).isEqualTo(403);
        assertThat(deployer.post("/v1/projects/acme/operator-tokens", json("role", "deployer"))
                        .status())
                .isEqualTo(403);
        assertThat(deployer.get("/v1/projects/acme/audit").status()).isEqualTo(403);
        assertThat(env.fetch(deployerToken).status()).isEqualTo(403);
        // Another project: as if it did not exist.
        Answer other = deployer.get("/v1/projects/other/secrets");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().path("detail").asText())
                .isEqualTo(api.get("/v1/projects/no-such-project/secrets")
                        .json()
                        .path("detail")
                        .asText()
                        .replace("no-such-project", "other"));
        assertThat(deployer.post("/v1/projects/other/environments/production/services/api/tokens", json())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aProjectAdminManagesItsProjectAndGets404OnAnother() {
        String token = api.post("/v1/projects/acme/operator-tokens", json("role", "project-admin"))
                .json()
                .path("token")
                .asText();
        ApiClient projectAdmin = api.withToken(token);

        assertThat(projectAdmin
                        .put("/v1/projects/acme/secrets/SET_BY_PA", json("value", "v"))
                        .status())
                .isEqualTo(201);
        assertThat(projectAdmin.get("/v1/projects/acme/audit").status()).isEqualTo(200);
        for (Answer answer : List.of(
                projectAdmin.put("/v1/projects/other/secrets/X", json("value", "v")),
                projectAdmin.get("/v1/projects/other/secrets"),
                projectAdmin.get("/v1/projects/other"),
                projectAdmin.put("/v1/projects/other/services/x", null),
                projectAdmin.post("/v1/projects/other/environments/production/services/api/tokens", json()))) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(404);
            assertThat(answer.code()).isEqualTo("project-not-found");
        }
        assertThat(projectAdmin
                        .post("/v1/projects/acme/operator-tokens", json("role", "deployer"))
                        .status())
                .isEqualTo(403);
        assertThat(api.post("/v1/projects/acme/operator-tokens", json("role", "admin"))
                        .code())
                .isEqualTo("invalid-role");
    }

    @Test
    void changingTheEnvironmentTypeMovesItsDeploymentsAndTheirLiveTokensToTheNewTypeEntry() throws Exception {
        ok(api.put("/v1/projects/other/environment-types/staging/secrets/TIER", json("value", "staging")));
        ok(api.put("/v1/projects/other/environment-types/preview/secrets/TIER", json("value", "preview")));
        String token = mint("/v1/projects/other/environments/staging/services/api", json());
        String data = "vaultgate/data/" + stack().pathPrefix() + "/other/type/";
        assertThat(vaultAs(token, data + "staging")).isEqualTo(200);
        assertThat(vaultAs(token, data + "preview")).isEqualTo(403);

        ok(api.put("/v1/projects/other/environments/staging", json("type", "preview")));

        assertThat(aliasOf("other.staging.api")
                        .path("custom_metadata")
                        .path("environment_type")
                        .asText())
                .isEqualTo("preview");
        assertThat(vaultAs(token, data + "preview"))
                .as("the live token follows")
                .isEqualTo(200);
        assertThat(vaultAs(token, data + "staging")).isEqualTo(403);
        assertThat(JSON.readTree(env.fetch(token).body()).path("TIER").asText()).isEqualTo("preview");
    }

    @Test
    void puttingAnEnvironmentAgainRepairsTheIdentitiesAFailedTypeChangeLeftBehind() {
        // As a type change whose rebind failed half-way leaves it: the identity still names the old type.
        Map<String, String> stale = new java.util.LinkedHashMap<>(Map.of(
                "prefix",
                stack().pathPrefix(),
                "project",
                "other",
                "environment",
                "production",
                "environment_type",
                "staging",
                "service",
                "worker"));
        vault(
                "POST",
                "identity/entity-alias",
                Map.of(
                        "name",
                        bindingName("other.production.worker"),
                        "mount_accessor",
                        tokenAuthAccessor(),
                        "custom_metadata",
                        stale));
        assertThat(aliasOf("other.production.worker")
                        .path("custom_metadata")
                        .path("environment_type")
                        .asText())
                .isEqualTo("staging");

        ok(api.put("/v1/projects/other/environments/production", json("type", "production")));

        assertThat(aliasOf("other.production.worker")
                        .path("custom_metadata")
                        .path("environment_type")
                        .asText())
                .isEqualTo("production");
    }

    @Test
    void deletingADeploymentRevokesItsTokensAndRetiresItsIdentity() {
        ok(api.put("/v1/projects/acme/services/doomed", null));
        ok(api.put("/v1/projects/acme/environments/production/services/doomed", null));
        ok(api.put("/v1/projects/acme/environments/production/services/doomed/secrets/LAST", json("value", "x")));
        String token = mint("/v1/projects/acme/environments/production/services/doomed", json());
        assertThat(env.fetch(token).status()).isEqualTo(200);

        assertThat(api.delete("/v1/projects/acme/environments/production/services/doomed")
                        .status())
                .isEqualTo(204);

        assertThat(env.fetch(token).status()).isEqualTo(401);
        assertThat(api.post("/v1/projects/acme/environments/production/services/doomed/tokens", json())
                        .code())
                .isEqualTo("deployment-not-found");
        // A token still bound to the retired identity (one minted elsewhere with the gateway's token) reads nothing.
        String straggler = stack().vault(
                        "POST",
                        "auth/token/create/vaultgate-workload",
                        stack().gatewayToken(),
                        Map.of(
                                "policies",
                                List.of("vaultgate-workload"),
                                "entity_alias",
                                bindingName("acme.production.doomed"),
                                "ttl",
                                "5m"))
                .body()
                .path("auth")
                .path("client_token")
                .asText();
        assertThat(vaultAs(straggler, "vaultgate/data/" + stack().pathPrefix() + "/acme/env/production/svc/doomed"))
                .isEqualTo(403);
        assertThat(vaultAs(straggler, "vaultgate/data/" + stack().pathPrefix() + "/acme"))
                .isEqualTo(403);
    }

    @Test
    void aDeploymentDeletedAndRegisteredAgainMintsTokensBoundToItsLiveIdentity() throws Exception {
        String deployment = "/v1/projects/acme/environments/production/services/phoenix";
        ok(api.put("/v1/projects/acme/services/phoenix", null));
        ok(api.put(deployment, null));
        String before = mint(deployment, json());
        assertThat(JSON.readTree(env.fetch(before).body()).path("WHO").asText()).isEqualTo("acme");

        ok(api.delete(deployment));
        assertThat(aliasOf("acme.production.phoenix")
                        .path("custom_metadata")
                        .path("retired")
                        .asText())
                .isEqualTo("true");
        ok(api.put(deployment, null));
        String after = mint(deployment, json());

        assertThat(aliasOf("acme.production.phoenix")
                        .path("custom_metadata")
                        .path("project")
                        .asText())
                .isEqualTo("acme");
        EnvClient.Fetch fetch = env.fetch(after);
        assertThat(fetch.status()).isEqualTo(200);
        assertThat(JSON.readTree(fetch.body()).path("WHO").asText()).isEqualTo("acme");
        assertThat(env.fetch(before).status())
                .as("the token of the deleted deployment")
                .isEqualTo(401);
    }

    @Test
    void aDeploymentDeletedAndRegisteredAgainThroughAnotherReplicaMintsForTheNewOneHere() throws Exception {
        String deployment = "/v1/projects/acme/environments/production/services/ember";
        ok(api.put("/v1/projects/acme/services/ember", null));
        ok(api.put(deployment, null));
        String before = mint(deployment, json()); // this replica now trusts the deployment it bound
        long oldId = count(
                "SELECT id FROM deployment WHERE service_id = " + "(SELECT id FROM service WHERE slug = 'ember')");

        try (EmbeddedServer other = ApplicationContext.run(
                EmbeddedServer.class, new HashMap<String, Object>(getProperties()), "production")) {
            ApiClient viaOther = new ApiClient(URI.create(other.getURL().toString()), stack().adminToken());
            ok(viaOther.delete(deployment));
            ok(viaOther.put(deployment, null));
        }
        Answer minted = api.post(deployment + "/tokens", json());

        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        String accessor = minted.json().path("accessor").asText();
        long newId = count(
                "SELECT id FROM deployment WHERE service_id = " + "(SELECT id FROM service WHERE slug = 'ember')");
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(count("SELECT deployment_id FROM issued_token WHERE accessor = '" + accessor + "'"))
                .as("recorded for the deployment registered again, so revoke-all of it finds the token")
                .isEqualTo(newId);
        EnvClient.Fetch fetch = env.fetch(minted.json().path("token").asText());
        assertThat(fetch.status()).isEqualTo(200);
        assertThat(JSON.readTree(fetch.body()).path("WHO").asText()).isEqualTo("acme");
        assertThat(env.fetch(before).status())
                .as("the token of the deleted deployment")
                .isEqualTo(401);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private String mint(String deployment, Map<String, Object> body) {
        Answer minted = api.post(deployment + "/tokens", body);
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private String bindingName(String deployment) {
        return "vaultgate-deployment.vaultgate." + stack().pathPrefix() + "." + deployment;
    }

    private String tokenAuthAccessor() {
        return vault("GET", "sys/auth", null).path("token/").path("accessor").asText();
    }

    /** The deployment's entity alias as Vault has it (looked up with the root token). */
    private JsonNode aliasOf(String deployment) {
        JsonNode entity = vault(
                        "POST",
                        "identity/lookup/entity",
                        Map.of("alias_name", bindingName(deployment), "alias_mount_accessor", tokenAuthAccessor()))
                .path("data");
        for (JsonNode alias : entity.path("aliases")) {
            if (alias.path("name").asText().equals(bindingName(deployment))) {
                return alias;
            }
        }
        throw new AssertionError("no entity alias " + bindingName(deployment));
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }

    /** A Vault API call with the root token, as an operator inspecting Vault would make it. */
    private JsonNode vault(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + path))
                    .header("X-Vault-Token", stack().rootToken())
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private int vaultStatus(String method, String path) {
        return vaultCall(stack().rootToken(), method, path);
    }

    /** A read straight at Vault with the given token: the HTTP status. */
    private int vaultAs(String token, String path) {
        return vaultCall(token, "GET", path);
    }

    private int vaultCall(String token, String method, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + path))
                    .header("X-Vault-Token", token)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            return HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
