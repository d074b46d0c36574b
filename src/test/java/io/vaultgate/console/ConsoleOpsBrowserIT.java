package io.vaultgate.console;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.restart.Receiver;
import io.vaultgate.testing.RealParts;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The operations screens in a real browser, as an admin's session and then a deployer's: the keys ×
 * environments matrix, tokens shown once, hooks with their delivery log, the restart event feed
 * and the audit log. Every screen is scanned by axe-core; the last steps read every page visited
 * again and find no planted value, no minted token and no hook secret in any.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOpsBrowserIT extends ConsoleBrowserTest {

    private static final String PLANTED = "planted-value-4f1c9e";
    private static final String OPS = "/console/projects/ops";

    private final Set<String> visited = new LinkedHashSet<>();
    private final List<String> shownOnce = new ArrayList<>();
    private Receiver receiver;
    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>(super.extraProperties());
        properties.put("vaultgate.restart.poll-interval", "100ms");
        properties.put("vaultgate.restart.retry-schedule", "50ms,100ms,200ms");
        return properties;
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        receiver = new Receiver();
        ok(api.put("/v1/projects/ops", null));
        ok(api.put("/v1/projects/ops/hook-networks", json("allowedPrivate", List.of("127.0.0.1/32"))));
        ok(api.put("/v1/projects/ops/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/ops/environments/staging", json("type", "staging")));
        ok(api.put("/v1/projects/ops/services/api", null));
        ok(api.put("/v1/projects/ops/environments/production/services/api", null));
        ok(api.put("/v1/projects/ops/environments/staging/services/api", null));
        ok(api.put("/v1/projects/ops/secrets/SHARED", json("value", PLANTED + "-shared")));
        ok(api.put("/v1/projects/ops/environments/production/secrets/SHARED", json("value", PLANTED + "-prod")));
        ok(api.put("/v1/projects/ops/environments/staging/secrets/STAGING_ONLY", json("value", PLANTED)));
        ok(api.put("/v1/projects/ops/environment-types/production/secrets/PROD_TYPE", json("value", PLANTED)));
        ok(api.put("/v1/projects/ops/environments/production/services/api/secrets/API_ONLY", json("value", PLANTED)));
    }

    @AfterAll
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void theMatrixShowsWhereEachKeyIsDefinedOverriddenInheritedOrMissing() {
        signIn(stack().adminToken());
        visit(OPS);
        browser.follow("Keys × environments");
        assertThat(browser.path()).isEqualTo(OPS + "/matrix");

        assertThat(cell("SHARED", "production")).contains("overridden here", "over project");
        assertThat(cell("SHARED", "staging")).contains("inherited from project");
        assertThat(cell("STAGING_ONLY", "staging")).contains("defined here");
        assertThat(cell("STAGING_ONLY", "production")).contains("missing");
        assertThat(cell("PROD_TYPE", "production")).contains("inherited from type production");
        assertThat(cell("PROD_TYPE", "staging")).contains("missing");
        assertThat(cell("API_ONLY", "production")).contains("only for some services", "overridden for api");
        assertThat(cell("API_ONLY", "staging")).contains("missing");
        assertAccessible();
        browser.screenshot("matrix");
    }

    @Test
    @Order(2)
    void aMintedWorkloadTokenIsShownOnceWithACopyButtonAndWorks() {
        visit(OPS + "/tokens");
        browser.choose("Deployment", "production/api");
        browser.fill("Boot fetches", "5");
        browser.press("Mint workload token");

        String token = browser.driver().findElement(By.id("minted-token")).getText();
        shownOnce.add(token);
        assertThat(token).isNotBlank();
        WebElement copy = browser.driver().findElement(By.xpath("//button[normalize-space()='Copy token']"));
        assertThat(copy.isDisplayed()).as("console.js shows the copy button").isTrue();
        assertAccessible();
        assertThat(api.withToken(token).get("/v1/env").status()).isEqualTo(200);

        visit(OPS + "/tokens");
        assertThat(browser.html()).doesNotContain(token);
        assertThat(browser.text()).contains("workload", "production/api", "live");
        assertAccessible();
        browser.screenshot("tokens");
    }

    @Test
    @Order(3)
    void anAdminMintsAnOperatorTokenAndRevokesOneTokenThenAllOfADeployment() {
        visit(OPS + "/tokens");
        browser.choose("Role", "deployer");
        browser.press("Mint operator token");
        String operator = browser.driver().findElement(By.id("minted-token")).getText();
        shownOnce.add(operator);
        assertThat(api.withToken(operator).get("/v1/projects/ops").status()).isEqualTo(200);

        String workload = shownOnce.get(0);
        visit(OPS + "/tokens");
        String accessor = browser.driver()
                .findElement(By.xpath("//tr[td[normalize-space()='production/api']]//td[1]"))
                .getText();
        browser.driver()
                .findElement(By.xpath("//button[@aria-label='Revoke " + accessor + "']"))
                .click();
        assertThat(browser.path()).isEqualTo(OPS + "/tokens");
        assertThat(api.withToken(workload).get("/v1/env").status()).isIn(401, 403);

        visit(OPS + "/tokens");
        browser.choose("Deployment", "staging/api");
        browser.press("Mint workload token");
        String staging = browser.driver().findElement(By.id("minted-token")).getText();
        shownOnce.add(staging);
        visit(OPS + "/tokens");
        browser.choose("Deployment to cut off", "staging/api");
        browser.press("Revoke all its tokens");
        assertThat(api.withToken(staging).get("/v1/env").status()).isIn(401, 403);
        assertThat(browser.text()).contains("revoked");
        assertAccessible();
    }

    @Test
    @Order(4)
    void aHookIsRegisteredItsSecretShownOnceAndItsDeliveriesRedelivered() {
        visit(OPS + "/hooks");
        browser.fill("Hook URL", receiver.url());
        browser.fill("Environments it hears of", "production");
        browser.press("Register hook");
        String secret = browser.driver().findElement(By.id("hook-secret")).getText();
        shownOnce.add(secret);
        receiver.trust(secret);
        assertAccessible();

        ok(api.put("/v1/projects/ops/environments/production/secrets/SHARED", json("value", PLANTED + "-again")));
        await(() -> !receiver.accepted().isEmpty());

        visit(OPS + "/hooks");
        assertThat(browser.text()).contains(receiver.url(), "production", "enabled");
        String hookId =
                api.get("/v1/projects/ops/hooks").json().get(0).path("id").asText();
        browser.follow("deliveries of " + hookId);
        await(() -> {
            browser.open(OPS + "/hooks/" + hookId);
            return browser.text().contains("delivered");
        });
        visited.add(browser.path());
        assertThat(browser.text()).contains("production/api", "SHARED", "HTTP 204");
        assertAccessible();

        int before = receiver.requests().size();
        browser.press("Redeliver");
        assertThat(browser.path()).isEqualTo(OPS + "/hooks/" + hookId);
        await(() -> receiver.requests().size() > before);
        assertThat(api.get("/v1/projects/ops/hooks/" + hookId + "/deliveries")
                        .json()
                        .size())
                .isEqualTo(2);
    }

    @Test
    @Order(5)
    void theEventFeedListsTheRestartAPageAtATime() {
        visit(OPS + "/events");
        assertThat(browser.text()).contains("production/api", "SHARED");
        assertAccessible();
        visit(OPS + "/events?after=999999");
        assertThat(browser.text()).contains("No restart event after this point.");
    }

    @Test
    @Order(6)
    void theAuditLogFiltersByKeyAndChangeSetFromTheKeyboard() {
        visit(OPS + "/audit");
        assertThat(browser.text()).contains("token.create", "hook.create", "STAGING_ONLY");
        assertAccessible();

        WebElement key = browser.field("Key");
        key.sendKeys("STAGING_ONLY", Keys.ENTER);
        visited.add(browser.path());
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("STAGING_ONLY");
        String changeSet =
                rows.get(0).findElement(By.cssSelector("td:nth-child(6)")).getText();
        assertThat(changeSet).isNotBlank();

        browser.fill("Key", "");
        browser.fill("Change-set", changeSet);
        browser.press("Filter");
        assertThat(browser.driver().findElements(By.cssSelector("tbody tr"))).hasSize(1);
        assertThat(browser.text()).contains("1 records");
    }

    @Test
    @Order(7)
    void aBadQueryIsShownAsTheApiProblemWithItsCode() {
        browser.open(OPS + "/audit?page=minus-one");
        assertThat(browser.text()).contains("invalid-request", "400", "page");
        assertAccessible();
    }

    @Test
    @Order(8)
    void theScreensFitAPhoneWidthWithoutScrollingThePage() {
        Dimension desktop = browser.driver().manage().window().getSize();
        try {
            browser.driver().manage().window().setSize(new Dimension(375, 800));
            for (String path :
                    List.of(OPS + "/matrix", OPS + "/tokens", OPS + "/hooks", OPS + "/events", OPS + "/audit")) {
                browser.open(path);
                Object overflow = browser.driver()
                        .executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
                assertThat(overflow)
                        .as("the page scrolls sideways on a phone: " + path)
                        .isEqualTo(false);
            }
            browser.open(OPS + "/matrix");
            browser.screenshot("matrix-phone");
        } finally {
            browser.driver().manage().window().setSize(desktop);
        }
    }

    @Test
    @Order(9)
    void aDeployerSeesNoOperatorFormAndIsRefusedTheAdminsRoutes() {
        String deployer = api.post("/v1/projects/ops/operator-tokens", json("role", "deployer"))
                .json()
                .path("token")
                .asText();
        browser.open("/console/projects");
        browser.press("Sign out");
        signIn(deployer);
        visit(OPS + "/tokens");
        assertThat(browser.html()).doesNotContain("Mint operator token");
        browser.open(OPS + "/audit");
        assertThat(browser.text()).contains("403", "forbidden");
        browser.open(OPS + "/hooks");
        assertThat(browser.text()).contains("403", "forbidden");
        assertAccessible();
    }

    @Test
    @Order(10)
    void aTokenIsMintedWithTheKeyboardAlone() {
        visit(OPS + "/tokens");
        browser.driver().findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement focused = browser.driver().switchTo().activeElement();
        for (int i = 0; i < 30 && !"mint-deployment".equals(focused.getAttribute("id")); i++) {
            focused.sendKeys(Keys.TAB);
            focused = browser.driver().switchTo().activeElement();
        }
        assertThat(focused.getAttribute("id"))
                .as("Tab reaches the deployment choice")
                .isEqualTo("mint-deployment");
        for (int i = 0; i < 5 && !"Mint workload token".equals(focused.getText()); i++) {
            focused.sendKeys(Keys.TAB);
            focused = browser.driver().switchTo().activeElement();
        }
        assertThat(focused.getText()).isEqualTo("Mint workload token");
        focused.sendKeys(Keys.ENTER);
        String token = browser.driver().findElement(By.id("minted-token")).getText();
        shownOnce.add(token);
        assertThat(api.withToken(token).get("/v1/env").status()).isEqualTo(200);
    }

    @Test
    @Order(11)
    void everyFormOfTheOperationsScreensRefusesAPostWithoutItsSessionAndCsrfToken() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of(
                OPS + "/tokens",
                OPS + "/tokens/operator",
                OPS + "/tokens/revoke",
                OPS + "/tokens/revoke-all",
                OPS + "/hooks",
                OPS + "/hooks/hook_x/remove",
                OPS + "/hooks/hook_x/deliveries/d_x/redeliver")) {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(server.getURI().resolve(path))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("deployment=production%2Fapi&role=deployer"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    @Order(12)
    void noPageEverContainsAPlantedValueOrATokenOrSecretAfterItsOneShowing() {
        browser.open("/console/projects");
        browser.press("Sign out");
        signIn(stack().adminToken());
        assertThat(shownOnce).hasSizeGreaterThanOrEqualTo(5);
        for (String path : visited) {
            browser.open(path);
            String html = browser.html();
            assertThat(html).as(path).doesNotContain(PLANTED);
            for (String once : shownOnce) {
                assertThat(html).as(path).doesNotContain(once);
            }
        }
    }

    private void visit(String path) {
        browser.open(path);
        visited.add(path);
    }

    /** The text of the matrix cell of a key in an environment. */
    private String cell(String key, String environment) {
        List<WebElement> headers = browser.driver().findElements(By.cssSelector("table.matrix thead th"));
        int column = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).getText().startsWith(environment + " ")) {
                column = i;
            }
        }
        assertThat(column).as("a column for " + environment).isPositive();
        return browser.driver()
                .findElement(By.xpath("//table[contains(@class,'matrix')]//tr[th[normalize-space()='" + key + "']]/*["
                        + (column + 1) + "]"))
                .getText();
    }

    private static void ok(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 20 s").isBefore(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
