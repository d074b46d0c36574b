package io.vaultgate.cli;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CLI's change-set drafts on real parts: a rotation staged at three scopes changes nothing
 * until it is released, its author cannot approve it, another project admin can, and no value
 * ever reaches the CLI's output.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliChangeSetIT extends GatewayTest {

    private static final String OLD = "old-value-5c1e";
    private static final String NEW_PROJECT = "canary-project-7a21";
    private static final String NEW_ENVIRONMENT = "canary-environment-8b32";
    private static final String NEW_SERVICE = "canary-service-9c43";

    /** The draft's author: a project admin of acme. */
    private Cli author;
    /** Another project admin, under another name: approvals tell people apart by it. */
    private Cli reviewer;

    @BeforeAll
    void createCatalog() {
        ApiClient api = admin();
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(201);
        for (String environment : List.of("production", "staging")) {
            assertThat(api.put("/v1/projects/acme/environments/" + environment, json("type", environment))
                            .status())
                    .isEqualTo(201);
        }
        for (String service : List.of("api", "web")) {
            assertThat(api.put("/v1/projects/acme/services/" + service, null).status())
                    .isEqualTo(201);
        }
        for (String deployment :
                List.of("production/services/api", "production/services/web", "staging/services/api")) {
            assertThat(api.put("/v1/projects/acme/environments/" + deployment, null)
                            .status())
                    .isEqualTo(201);
        }
        assertThat(api.put("/v1/projects/acme/secrets/DB_PASSWORD", json("value", OLD))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/environments/production/secrets/PAYMENT_KEY", json("value", OLD))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/services/api/secrets/API_TOKEN", json("value", OLD))
                        .status())
                .isEqualTo(201);
        assertThat(api.put(
                                "/v1/projects/acme/approval-rules/production",
                                json("approvals", 1, "authorMayApprove", false))
                        .status())
                .isEqualTo(200);
        String projectAdmin = api.post(
                        "/v1/projects/acme/operator-tokens", json("role", "project-admin", "name", "alice"))
                .json()
                .path("token")
                .asText();
        author = Cli.of(server.getURL().toString(), projectAdmin);
        Cli.Result minted = Cli.of(server.getURL().toString(), stack().adminToken())
                .run("token", "create", "-p", "acme", "--role", "project-admin", "--name", "bob", "-o", "json");
        assertThat(minted.exit()).as(minted.toString()).isZero();
        reviewer = author.withToken(minted.json().path("token").asText());
    }

    @Test
    void aRotationStagedAtThreeScopesIsReleasedOnlyOnceAnotherProjectAdminApproved() throws Exception {
        String id = created("Rotate the three keys");
        Path dotenv = Files.createTempFile("rotation", ".env");
        Files.writeString(dotenv, "API_TOKEN=" + NEW_SERVICE + "\n");

        List<Cli.Result> runs = new ArrayList<>();
        runs.add(author.run("change-set", "add", "-p", "acme", id, "DB_PASSWORD=" + NEW_PROJECT));
        runs.add(author.withStdin(NEW_ENVIRONMENT)
                .run("change-set", "add", "-p", "acme", "-e", "production", id, "PAYMENT_KEY=-"));
        runs.add(author.run("change-set", "add", "-p", "acme", "-s", "api", id, "-f", dotenv.toString()));
        runs.forEach(run -> assertThat(run.exit()).as(run.toString()).isZero());
        assertThat(vaultEntry("acme").path("data").path("DB_PASSWORD").asText()).isEqualTo(OLD);
        assertThat(vaultEntry("acme/env/production")
                        .path("data")
                        .path("PAYMENT_KEY")
                        .asText())
                .isEqualTo(OLD);
        assertThat(vaultEntry("acme/svc/api").path("data").path("API_TOKEN").asText())
                .isEqualTo(OLD);

        Cli.Result show = author.run("change-set", "show", "-p", "acme", id);
        Cli.Result shown = author.run("change-set", "show", "-p", "acme", id, "-o", "json");
        runs.add(show);
        runs.add(shown);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out())
                .contains("DB_PASSWORD", "PAYMENT_KEY", "API_TOKEN", "env:production", "svc:api")
                .contains("Approvals: 0 of 1 required (not yet satisfied)");
        JsonNode draft = shown.json();
        assertThat(draft.path("state").asText()).isEqualTo("draft");
        assertThat(draft.path("operations")).hasSize(3);
        assertThat(draft.path("impact").path("deployments"))
                .extracting(d ->
                        d.path("environment").asText() + "/" + d.path("service").asText())
                .containsExactlyInAnyOrder("production/api", "production/web", "staging/api");

        Cli.Result early = author.run("change-set", "release", "-p", "acme", id);
        Cli.Result ownApproval = author.run("change-set", "approve", "-p", "acme", id);
        Cli.Result approval = reviewer.run("change-set", "approve", "-p", "acme", id, "-o", "json");
        runs.addAll(List.of(early, ownApproval, approval));
        assertThat(early.exit()).as(early.toString()).isEqualTo(4);
        assertThat(early.err()).contains("[approval-required");
        assertThat(ownApproval.exit()).as(ownApproval.toString()).isEqualTo(5);
        assertThat(ownApproval.err()).contains("[approval-not-allowed");
        assertThat(approval.exit()).as(approval.toString()).isZero();
        assertThat(approval.json().path("approval").path("satisfied").asBoolean())
                .isTrue();
        assertThat(vaultEntry("acme").path("data").path("DB_PASSWORD").asText()).isEqualTo(OLD);

        Cli.Result release = author.run("change-set", "release", "-p", "acme", id, "-o", "json");
        runs.add(release);
        assertThat(release.exit()).as(release.toString()).isZero();
        JsonNode released = release.json();
        assertThat(released.path("state").asText()).isEqualTo("released");
        assertThat(released.path("changeSetId").asText()).isNotBlank();
        assertThat(released.path("restart").path("deployments")).hasSize(3);
        assertThat(vaultEntry("acme").path("data").path("DB_PASSWORD").asText()).isEqualTo(NEW_PROJECT);
        assertThat(vaultEntry("acme/env/production")
                        .path("data")
                        .path("PAYMENT_KEY")
                        .asText())
                .isEqualTo(NEW_ENVIRONMENT);
        assertThat(vaultEntry("acme/svc/api").path("data").path("API_TOKEN").asText())
                .isEqualTo(NEW_SERVICE);

        Cli.Result after = author.run("change-set", "show", "-p", "acme", id);
        runs.add(after);
        assertThat(after.out())
                .contains(
                        "released",
                        "Released as change-set " + released.path("changeSetId").asText());
        // The one value given on the command line is there by the user's choice; no answer carries any.
        assertThat(runs)
                .allSatisfy(run -> assertThat(run.out() + run.err()).doesNotContain(NEW_ENVIRONMENT, NEW_SERVICE, OLD));
        assertThat(runs.subList(3, runs.size()))
                .allSatisfy(run -> assertThat(run.out() + run.err()).doesNotContain(NEW_PROJECT));
    }

    @Test
    void aDiscardedDraftIsClosedToStagingAndLeavesTheScopeAsItWas() {
        String id = created("A change nobody wants");
        Cli.Result staged =
                author.run("set", "-p", "acme", "-e", "staging", "--change-set", id, "FEATURE_FLAG=on", "-o", "json");
        Cli.Result listed = author.run("change-set", "list", "-p", "acme", "-o", "json");

        Cli.Result discarded = author.run("change-set", "discard", "-p", "acme", id);
        Cli.Result closed = author.run("change-set", "add", "-p", "acme", "-e", "staging", id, "FEATURE_FLAG=off");
        Cli.Result open = author.run("change-set", "list", "-p", "acme");

        assertThat(staged.exit()).as(staged.toString()).isZero();
        assertThat(staged.json().path("staged").asBoolean()).isTrue();
        assertThat(staged.json().path("changeSet").asText()).isEqualTo(id);
        assertThat(listed.json().path("changeSets"))
                .extracting(d -> d.path("id").asText())
                .contains(id);
        assertThat(discarded.exit()).as(discarded.toString()).isZero();
        assertThat(closed.exit()).as(closed.toString()).isEqualTo(4);
        assertThat(closed.err()).contains("[change-set-closed");
        assertThat(open.out()).doesNotContain(id);
        assertThat(vaultEntry("acme/env/staging")).isNull();
    }

    @Test
    void anUnknownDraftExitsThreeWithItsCode() {
        Cli.Result missing = author.run("change-set", "show", "-p", "acme", "no-such-draft", "-o", "json");

        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.json().path("code").asText()).isEqualTo("change-set-not-found");
    }

    private String created(String description) {
        Cli.Result created = author.run("change-set", "create", "-p", "acme", "-m", description);
        assertThat(created.exit()).as(created.toString()).isZero();
        String id = created.out().strip();
        assertThat(id).isNotBlank().doesNotContain("\n");
        return id;
    }
}
