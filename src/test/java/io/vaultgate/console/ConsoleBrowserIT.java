package io.vaultgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser, as one person's session from sign-in on: each step builds on the
 * one before, and every screen it passes is scanned by axe-core and photographed.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT extends ConsoleBrowserTest {

    private static final String PROJECT_VALUE = "project-canary-" + UUID.randomUUID();
    private static final String ENVIRONMENT_VALUE = "environment-canary-" + UUID.randomUUID();
    private static final String CHANGED_VALUE = "changed-canary-" + UUID.randomUUID();
    private static final String CERTIFICATE_CANARY = "certificate-canary-" + UUID.randomUUID();
    private static final String CERTIFICATE =
            "-----BEGIN CERTIFICATE-----\n" + CERTIFICATE_CANARY + "\n-----END CERTIFICATE-----\n";
    private static final String IMPORTED_CANARY = "imported-canary-" + UUID.randomUUID();
    private static final String REFUSED_CANARY = "refused-canary-" + UUID.randomUUID();

    private LogCapture logs;

    @BeforeAll
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterAll
    void releaseLogs() {
        logs.close();
    }

    @Test
    @Order(1)
    void aPageAskedWithoutASessionLeadsToSignIn() {
        browser.open("/console/projects");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertAccessible();
        browser.screenshot("sign-in");
    }

    @Test
    @Order(2)
    void anAdminSignsInWithTheirTokenAndCreatesAProject() {
        signIn(stack().adminToken());
        assertThat(browser.path()).isEqualTo("/console/projects");
        assertAccessible();

        browser.fill("Name", "acme");
        browser.press("Create project");
        assertThat(browser.path()).isEqualTo("/console/projects/acme");
        assertThat(admin().get("/v1/projects/acme").status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void theProjectScreenCreatesEnvironmentsServicesAndDeployments() {
        browser.open("/console/projects/acme");
        browser.fill("New environment", "staging");
        browser.choose("Type", "staging");
        browser.press("Create environment");
        browser.fill("New service", "api");
        browser.press("Create service");
        browser.choose("Environment", "staging");
        browser.choose("Service", "api");
        browser.press("Register deployment");

        assertThat(browser.path()).isEqualTo("/console/projects/acme");
        assertThat(browser.text()).contains("staging", "api", "resolved values");
        assertThat(admin().get("/v1/projects/acme").json().path("deployments").size())
                .isEqualTo(1);
        assertAccessible();
        browser.screenshot("project");
    }

    @Test
    @Order(4)
    void aRefusedFormShowsTheProblemWithItsCode() {
        browser.open("/console/projects/acme");
        browser.fill("New service", "Not_A_Slug");
        browser.press("Create service");
        assertThat(browser.text()).contains("invalid-slug", "400");
        assertAccessible();
    }

    @Test
    @Order(5)
    void setsAValueAtTheProjectAfterSeeingWhichDeploymentsItRestarts() {
        browser.open("/console/projects/acme/secrets");
        assertAccessible();
        browser.fill("Key", "DATABASE_URL");
        browser.fill("Value", PROJECT_VALUE);
        browser.press("Preview the change");

        assertThat(browser.text())
                .contains("This restarts 1 deployment:", "api in staging", "Nothing has been saved yet");
        assertThat(vaultEntry("acme")).isNull();
        assertAccessible();
        browser.screenshot("preview");

        browser.press("Apply");
        assertThat(browser.text()).contains("Saved the change to DATABASE_URL", "DATABASE_URL", "1 deployment");
        assertThat(vaultEntry("acme").path("data").path("DATABASE_URL").asText())
                .isEqualTo(PROJECT_VALUE);
        assertAccessible();
        browser.screenshot("secrets");
    }

    @Test
    @Order(6)
    void aValueSetAtTheEnvironmentBecomesTheSourceAndOverridesTheProjects() {
        browser.open("/console/projects/acme/environments/staging/services/api/resolved");
        assertThat(row("DATABASE_URL")).contains("project").doesNotContain("environment");

        browser.open("/console/projects/acme/secrets?at=environments/staging");
        browser.fill("Key", "DATABASE_URL");
        browser.fill("Value", ENVIRONMENT_VALUE);
        browser.press("Preview the change");
        assertThat(browser.text()).contains("This restarts 1 deployment:", "api in staging");
        long eventsBefore = restartEvents();
        browser.press("Apply without restarts");
        assertThat(restartEvents()).isEqualTo(eventsBefore);

        browser.open("/console/projects/acme/environments/staging/services/api/resolved");
        assertThat(row("DATABASE_URL")).contains("environment", "/v1/projects/acme/environments/staging", "project");
        assertAccessible();
    }

    @Test
    @Order(7)
    void theResolvedViewChecksTheServicesRequirementsAndShowsMissingKeys() {
        assertThat(admin().put(
                                "/v1/projects/acme/services/api/requirements",
                                java.util.Map.of("keys", java.util.List.of("DATABASE_URL", "API_KEY")))
                        .status())
                .isEqualTo(200);
        browser.open("/console/projects/acme/environments/staging/services/api/resolved");
        assertThat(browser.text()).contains("1 required key is missing:", "API_KEY");
        assertThat(row("API_KEY")).contains("missing");
        assertThat(row("DATABASE_URL")).contains("(required)", "environment");
        assertAccessible();
        browser.screenshot("resolved");
    }

    @Test
    @Order(8)
    void aKeysHistoryRollsBackToAnEarlierValueAfterItsPreview() {
        browser.open("/console/projects/acme/secrets?at=environments/staging");
        browser.fill("Key", "DATABASE_URL");
        browser.fill("Value", CHANGED_VALUE);
        browser.press("Preview the change");
        browser.press("Apply");
        assertThat(vaultEntry("acme/env/staging")
                        .path("data")
                        .path("DATABASE_URL")
                        .asText())
                .isEqualTo(CHANGED_VALUE);

        browser.follow("History of DATABASE_URL");
        assertThat(browser.text()).contains("current version 2");
        assertAccessible();
        browser.screenshot("history");
        browser.press("Roll back to version 1");
        assertThat(browser.text()).contains("Preview: rollback DATABASE_URL", "back to version 1", "api in staging");
        assertAccessible();
        browser.press("Apply");
        assertThat(vaultEntry("acme/env/staging")
                        .path("data")
                        .path("DATABASE_URL")
                        .asText())
                .isEqualTo(ENVIRONMENT_VALUE);
    }

    @Test
    @Order(9)
    void aCertificateIsSetFromAnUploadedFileAndAKeyIsDeletedAfterItsPreview(@TempDir Path folder) throws IOException {
        Path pem = folder.resolve("tls.crt");
        Files.writeString(pem, CERTIFICATE);
        browser.open("/console/projects/acme/secrets");
        browser.fill("Key", "TLS_CERT");
        browser.upload("Or read the value from a file", pem);
        browser.press("Preview the change");
        browser.press("Apply");
        assertThat(vaultEntry("acme").path("data").path("TLS_CERT").asText()).isEqualTo(CERTIFICATE);

        browser.press("Delete TLS_CERT");
        assertThat(browser.text()).contains("Preview: delete TLS_CERT", "This restarts 1 deployment:");
        browser.press("Apply");
        assertThat(vaultEntry("acme").path("data").has("TLS_CERT")).isFalse();
        assertThat(browser.driver()
                        .findElements(org.openqa.selenium.By.xpath("//tr[td/code[normalize-space()='TLS_CERT']]")))
                .isEmpty();
    }

    @Test
    @Order(10)
    void aThreeKeyDotenvIsImportedAtTheProjectAfterItsPreview(@TempDir Path folder) throws IOException {
        Path dotenv = folder.resolve("acme.env");
        Files.writeString(
                dotenv,
                "# shared by every service\nQUEUE_URL=amqp://" + IMPORTED_CANARY + "\nCACHE_URL=\"redis://"
                        + IMPORTED_CANARY + "\"\nFEATURE_FLAGS=" + IMPORTED_CANARY + "\n");
        browser.open("/console/projects/acme/secrets");
        browser.upload(".env file", dotenv);
        browser.press("Preview the import");

        assertThat(browser.text())
                .contains(
                        "Preview: import a .env",
                        "QUEUE_URL",
                        "CACHE_URL",
                        "FEATURE_FLAGS",
                        "This restarts 1 deployment:",
                        "api in staging",
                        "Nothing has been saved yet");
        assertThat(vaultEntry("acme").path("data").has("QUEUE_URL")).isFalse();
        assertAccessible();
        browser.screenshot("import");

        browser.press("Apply");
        assertThat(browser.text()).contains("Imported 3 keys from the .env.");
        for (String key : java.util.List.of("QUEUE_URL", "CACHE_URL", "FEATURE_FLAGS")) {
            assertThat(versionOf(key)).isEqualTo("1");
        }
        assertThat(vaultEntry("acme").path("data").path("CACHE_URL").asText()).isEqualTo("redis://" + IMPORTED_CANARY);
        assertAccessible();
    }

    @Test
    @Order(11)
    void aMalformedDotenvIsRefusedNamingItsLineAndSavesNothing() {
        browser.open("/console/projects/acme/secrets?at=environments/staging");
        browser.fill("Or paste the .env", "BROKEN_FIRST=" + REFUSED_CANARY + "\n\nthis line has no equals sign\n");
        browser.press("Preview the import");

        assertThat(browser.text()).contains("invalid-dotenv", "400", "Line 3");
        assertThat(definition("Line")).isEqualTo("3");
        assertThat(definition("Field")).isEqualTo("dotenv");
        assertThat(vaultEntry("acme/env/staging").path("data").has("BROKEN_FIRST"))
                .isFalse();
        assertAccessible();
    }

    @Test
    @Order(12)
    void noPageTheConsoleShowedHoldsAPlantedValue() {
        assertThat(browser.seen()).hasSizeGreaterThan(20);
        for (String page : browser.seen()) {
            assertThat(page)
                    .doesNotContain(PROJECT_VALUE)
                    .doesNotContain(ENVIRONMENT_VALUE)
                    .doesNotContain(CHANGED_VALUE)
                    .doesNotContain(CERTIFICATE_CANARY)
                    .doesNotContain(IMPORTED_CANARY)
                    .doesNotContain(REFUSED_CANARY)
                    .doesNotContain(stack().adminToken());
        }
        assertThat(logs.text())
                .doesNotContain(PROJECT_VALUE)
                .doesNotContain(ENVIRONMENT_VALUE)
                .doesNotContain(CHANGED_VALUE)
                .doesNotContain(CERTIFICATE_CANARY)
                .doesNotContain(IMPORTED_CANARY)
                .doesNotContain(REFUSED_CANARY)
                .doesNotContain(stack().adminToken());
    }

    private String row(String key) {
        return browser.driver()
                .findElement(org.openqa.selenium.By.xpath("//tr[td/code[normalize-space()='" + key + "']]"))
                .getText();
    }

    private String versionOf(String key) {
        return browser.driver()
                .findElement(org.openqa.selenium.By.xpath(
                        "//tr[td/code[normalize-space()='" + key + "']]/td[@data-label='Version']"))
                .getText()
                .strip();
    }

    /** The definition of a term on a problem page, e.g. its "Line". */
    private String definition(String term) {
        return browser.driver()
                .findElement(
                        org.openqa.selenium.By.xpath("//dt[normalize-space()='" + term + "']/following-sibling::dd[1]"))
                .getText()
                .strip();
    }

    private long restartEvents() {
        try {
            return count("SELECT COUNT(*) FROM restart_event");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(99)
    void signingOutEndsTheSession() {
        browser.open("/console/projects");
        browser.press("Sign out");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.open("/console/projects");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
    }
}
