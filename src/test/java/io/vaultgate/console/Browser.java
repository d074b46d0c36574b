package io.vaultgate.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (scripts/test-services.sh
 * installs both), for the console's browser tests. A control is found by the text of its label,
 * so a control without one cannot be used by a test either. axe-core (installed by the same script
 * into .cache/console-tools, or {@code -Dconsole.axe=FILE}) is injected into the page to scan it.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("console.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
    static final Path AXE =
            Path.of(System.getProperty("console.axe", ".cache/console-tools/node_modules/axe-core/axe.min.js"));
    /** Where screenshots go; {@code -Dconsole.screenshots=docs/console} refreshes the README's. */
    static final Path SCREENSHOTS = Path.of(System.getProperty(
            "console.screenshots", System.getProperty("vaultgate.build.dir", "target") + "/console-screenshots"));

    private final ChromeDriver driver;
    private final String base;
    /** The source of every page the browser was on after each step, for tests that look for a planted value. */
    private final java.util.List<String> seen = new java.util.ArrayList<>();

    Browser(String base) {
        this.base = base;
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1000");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
        seen.add(driver.getPageSource());
    }

    java.util.List<String> seen() {
        return seen;
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    String html() {
        return driver.getPageSource();
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** The control a label names, by the label's {@code for}. */
    WebElement field(String label) {
        WebElement found = driver.findElement(By.xpath("//label[normalize-space()=" + xpathText(label) + "]"));
        return driver.findElement(By.id(found.getAttribute("for")));
    }

    void fill(String label, String text) {
        WebElement input = field(label);
        input.clear();
        input.sendKeys(text);
    }

    void choose(String label, String option) {
        new Select(field(label)).selectByVisibleText(option);
    }

    void press(String button) {
        clickAndAwaitNextPage(
                driver.findElement(By.xpath("//button[normalize-space()=" + xpathText(button) + "]")), button);
    }

    void follow(String link) {
        clickAndAwaitNextPage(driver.findElement(By.linkText(link)), link);
    }

    /**
     * Every button and link of the console loads a page. Chromedriver's click may return before the
     * form's navigation has begun on a loaded machine, and a test would then read the old page or
     * check the stores before the server was asked: waits until the clicked element is gone.
     */
    private void clickAndAwaitNextPage(WebElement control, String name) {
        control.click();
        try {
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> gone(control));
        } catch (TimeoutException noNavigation) {
            throw new AssertionError("'" + name + "' loaded no new page within 30 s", noNavigation);
        }
        seen.add(driver.getPageSource());
    }

    /**
     * Whether the element left the document. Chromedriver says so with a stale element reference,
     * or, when the page is swapped while it asks, with an inspector error that the node "does not
     * belong to the document" (which Selenium's own staleness condition does not take for stale).
     */
    private static boolean gone(WebElement control) {
        try {
            control.isEnabled();
            return false;
        } catch (StaleElementReferenceException stale) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** Chooses a file for a file input, by the input's label. */
    void upload(String label, Path file) {
        field(label).sendKeys(file.toAbsolutePath().toString());
    }

    /** The serious and critical violations axe-core finds in the page as it is now. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> accessibilityViolations() {
        String axe;
        try {
            axe = Files.readString(AXE);
        } catch (IOException e) {
            throw new UncheckedIOException("axe-core is missing: run scripts/test-services.sh", e);
        }
        driver.executeScript(axe);
        Object result = ((JavascriptExecutor) driver)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']})"
                        + ".then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                        + " nodes: v.nodes.map(n => n.target.join(' '))}))))"
                        + ".catch(e => done([{id: 'axe-failed', help: String(e)}]));");
        return (List<Map<String, Object>>) result;
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xpathText(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    @Override
    public void close() {
        driver.quit();
    }
}
