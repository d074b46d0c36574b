package io.vaultgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.testing.RealParts;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console in a real browser, as one person's session from sign-in on: each step builds on the
 * one before, and every screen it passes is scanned by axe-core and photographed.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT extends ConsoleBrowserTest {

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
    @Order(99)
    void signingOutEndsTheSession() {
        browser.open("/console/projects");
        browser.press("Sign out");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.open("/console/projects");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
    }
}
