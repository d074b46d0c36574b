package io.vaultgate.console;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.testing.RealParts;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * The change-sets screens in a real browser: a rotation staged at three scopes by a project admin
 * is listed, its page shows the operations and the deployments it would restart but no value,
 * the author is offered no approval, another project admin approves it and releases it. Every
 * page is scanned by axe-core, and every form refuses a post without the session's CSRF token.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleChangeSetsBrowserIT extends ConsoleBrowserTest {

    private static final String PLANTED = "planted-draft-value-3e7d";
    private static final String SHOP = "/console/projects/shop";

    private final Set<String> visited = new LinkedHashSet<>();
    private ApiClient api;
    private String authorToken;
    private String reviewerToken;
    private String draftId;

    @BeforeAll
    void stageARotation() {
        api = admin();
        ok(api.put("/v1/projects/shop", null));
        ok(api.put("/v1/projects/shop/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/shop/environments/staging", json("type", "staging")));
        ok(api.put("/v1/projects/shop/services/api", null));
        ok(api.put("/v1/projects/shop/environments/production/services/api", null));
        ok(api.put("/v1/projects/shop/environments/staging/services/api", null));
        ok(api.put("/v1/projects/shop/secrets/DB_PASSWORD", json("value", PLANTED + "-old")));
        ok(api.put("/v1/projects/shop/approval-rules/production", json("approvals", 1, "authorMayApprove", false)));
        authorToken = api.post("/v1/projects/shop/operator-tokens", json("role", "project-admin", "name", "alice"))
                .json()
                .path("token")
                .asText();
        reviewerToken = api.post("/v1/projects/shop/operator-tokens", json("role", "project-admin", "name", "bob"))
                .json()
                .path("token")
                .asText();
        ApiClient author = api.withToken(authorToken);
        ApiClient.Answer created = author.post("/v1/projects/shop/change-sets", json("description", "Rotate keys"));
        ok(created);
        draftId = created.json().path("id").asText();
        String draft = "?changeSet=" + draftId;
        ok(author.put("/v1/projects/shop/secrets/DB_PASSWORD" + draft, json("value", PLANTED + "-1")));
        ok(author.put(
                "/v1/projects/shop/environments/production/secrets/PAYMENT_KEY" + draft,
                json("value", PLANTED + "-2")));
        ok(author.put("/v1/projects/shop/services/api/secrets/API_TOKEN" + draft, json("value", PLANTED + "-3")));
    }

    @Test
    @Order(1)
    void theAuthorSeesTheOpenDraftItsOperationsAndImpactButNoApproveButton() {
        signIn(authorToken);
        visit(SHOP);
        browser.follow("Change-sets");
        assertThat(browser.path()).isEqualTo(SHOP + "/change-sets");
        assertThat(browser.text()).contains("Rotate keys", draftId, "draft");
        assertAccessible();

        browser.follow("Rotate keys");
        visited.add(browser.path());
        assertThat(browser.path()).isEqualTo(SHOP + "/change-sets/" + draftId);
        assertThat(browser.text())
                .contains("DB_PASSWORD", "PAYMENT_KEY", "API_TOKEN")
                .contains("environment production", "service api in every environment")
                .contains("0 of 1 required", "not enough to release")
                .contains("Releasing restarts 2 deployments");
        assertThat(browser.driver().findElements(By.xpath("//button[normalize-space()='Approve']")))
                .as("the author is offered no approval")
                .isEmpty();
        assertAccessible();
    }

    @Test
    @Order(2)
    void anotherProjectAdminApprovesAndTheReleaseIsRefusedNoLonger() {
        browser.press("Sign out");
        signIn(reviewerToken);
        visit(SHOP + "/change-sets/" + draftId);

        browser.press("Approve");

        assertThat(browser.path()).isEqualTo(SHOP + "/change-sets/" + draftId);
        assertThat(browser.text()).contains("1 of 1 required", "enough to release");
        assertAccessible();
        browser.screenshot("change-sets");
    }

    @Test
    @Order(3)
    void theReleaseAppliesTheDraftAsOneChangeSet() {
        browser.press("Release");

        assertThat(browser.text()).contains("released", "Released as change-set");
        assertAccessible();
        assertThat(vaultEntry("shop").path("data").path("DB_PASSWORD").asText()).isEqualTo(PLANTED + "-1");
        assertThat(vaultEntry("shop/env/production")
                        .path("data")
                        .path("PAYMENT_KEY")
                        .asText())
                .isEqualTo(PLANTED + "-2");
        assertThat(vaultEntry("shop/svc/api").path("data").path("API_TOKEN").asText())
                .isEqualTo(PLANTED + "-3");
        visit(SHOP + "/change-sets");
        assertThat(browser.text()).doesNotContain(draftId).contains("No open change-set draft");
    }

    @Test
    @Order(4)
    void aRefusalIsShownAsTheApisProblemWithItsCode() {
        visit(SHOP + "/change-sets/no-such-draft");

        assertThat(browser.text()).contains("404", "change-set-not-found");
        assertAccessible();
    }

    @Test
    @Order(5)
    void everyFormOfTheChangeSetScreensRefusesAPostWithoutItsSessionAndCsrfToken() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String draft = SHOP + "/change-sets/" + draftId;
        for (String path : List.of(
                SHOP + "/change-sets", draft + "/approve", draft + "/reject", draft + "/release", draft + "/discard")) {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(server.getURI().resolve(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("description=x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    @Order(6)
    void noPageEverContainsAStagedValue() {
        for (String path : visited) {
            browser.open(path);
            assertThat(browser.html()).as(path).doesNotContain(PLANTED);
        }
    }

    private void visit(String path) {
        browser.open(path);
        visited.add(path);
    }

    private static void ok(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
    }
}
