package io.vaultgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.GatewayTest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the console's browser tests: the gateway in production mode on the class's real stack,
 * with a console session key, and one headless Chromium for the class. Subclasses carry
 * {@code @MicronautTest(environments = "production", transactional = false) @RealParts}.
 */
abstract class ConsoleBrowserTest extends GatewayTest {

    protected Browser browser;

    @Override
    protected Map<String, String> extraProperties() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of("vaultgate.console.session-key", Base64.getEncoder().encodeToString(key));
    }

    @BeforeAll
    void openBrowser() {
        browser = new Browser(server.getURL().toString());
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Signs in and waits for the answer, so the next page is not asked before the session cookie is set. */
    protected void signIn(String token) {
        browser.open("/console/sign-in");
        browser.fill("Token", token);
        browser.press("Sign in");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (browser.path().startsWith("/console/sign-in")) {
            assertThat(Instant.now()).as("signed in within 20 s").isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** No serious or critical axe-core violation on the page as it is now. */
    protected void assertAccessible() {
        assertThat(browser.accessibilityViolations())
                .as("serious or critical accessibility violations on " + browser.path())
                .isEmpty();
    }
}
