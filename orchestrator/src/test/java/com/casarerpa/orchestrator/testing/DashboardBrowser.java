package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser, as a person uses it: sign in, go to a page, wait for what it
 * shows, click, type; plus what every dashboard test checks: screenshots at both widths
 * (target/dashboard-screenshots, kept as test artifacts), axe-core's serious and critical
 * violations, and the console's errors.
 */
public final class DashboardBrowser implements AutoCloseable {
    public static final int WIDE = 1280;
    public static final int HEIGHT = 800;
    public static final int PHONE = 390;
    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Browser browser;
    private final String base;

    private DashboardBrowser(Browser browser, String base) {
        this.browser = browser;
        this.base = base;
    }

    /** A new browser (no cookies) on the dashboard of the server at {@code base} ({@code http://127.0.0.1:port}). */
    public static DashboardBrowser open(String base) {
        Browser browser = Browser.start();
        browser.resize(WIDE, HEIGHT);
        return new DashboardBrowser(browser, base);
    }

    public Browser browser() {
        return browser;
    }

    public String base() {
        return base;
    }

    /** Loads {@code path} afresh (a deep link typed or opened in a new tab). */
    public DashboardBrowser go(String path) {
        browser.open(base + path);
        return this;
    }

    /** Signs in on the sign-in page with an API key (the page reached from any path while signed out). */
    public DashboardBrowser signInWithKey(String key) {
        go("/");
        click("button.link");
        type("#api_key", key);
        click("form button[type=submit]");
        waitFor("#sign-out");
        return this;
    }

    /** Signs in with a username and password. */
    public DashboardBrowser signIn(String username, String password) {
        go("/");
        type("#username", username);
        type("#password", password);
        click("form button[type=submit]");
        waitFor("#sign-out");
        return this;
    }

    public WebElement waitFor(String css) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> find(css), e -> e != null && e.isDisplayed());
    }

    /** Waits until the element's text contains {@code text}; returns the element. */
    public WebElement waitForText(String css, String text) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(find(css).getText()).contains(text));
        return find(css);
    }

    /** Waits until the page's main part contains {@code text}. */
    public void waitForPageText(String text) {
        waitForText("#main", text);
    }

    public WebElement find(String css) {
        return browser.driver().findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return browser.driver().findElements(By.cssSelector(css));
    }

    public boolean present(String css) {
        return !all(css).isEmpty();
    }

    public void click(String css) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            find(css).click();
            return true;
        });
    }

    /** Clicks the button or link whose text is exactly {@code label} inside the element {@code within}. */
    public void clickText(String within, String label) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            browser.driver().findElement(By.cssSelector(within))
                    .findElement(By.xpath(".//*[(self::button or self::a) and normalize-space(.)=" + xpathLiteral(label) + "]"))
                    .click();
            return true;
        });
    }

    public void type(String css, String text) {
        WebElement e = waitFor(css);
        e.clear();
        e.sendKeys(text);
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser.driver()).executeScript(js, args);
    }

    public String path() {
        return String.valueOf(script("return location.pathname + location.search"));
    }

    /**
     * Saves the page at 1280×800 and at 390 px wide as {@code <name>-1280.png} and
     * {@code <name>-390.png}, then goes back to the wide window.
     */
    public void screenshots(String name) {
        browser.screenshot(SCREENSHOTS.resolve(name + "-" + WIDE + ".png"));
        browser.resize(PHONE, 844);
        browser.screenshot(SCREENSHOTS.resolve(name + "-" + PHONE + ".png"));
        browser.resize(WIDE, HEIGHT);
    }

    /** axe-core's violations of impact serious or critical on the page as it is now (WCAG 2 A and AA rules). */
    public List<String> seriousViolations() {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(browser.driver());
        return results.getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(DashboardBrowser::describe)
                .toList();
    }

    public void assertAccessible() {
        assertThat(seriousViolations()).as("axe-core serious or critical violations on " + path()).isEmpty();
    }

    /**
     * The console's errors, leaving out the browser's own line for a request the page expected to
     * be refused (its check of the session while signed out: 401 on /api/v1/auth/me).
     */
    public List<String> consoleErrors() {
        return browser.consoleErrors().stream()
                .filter(line -> !(line.contains("/api/v1/auth/me") && line.contains("401")))
                .toList();
    }

    public void assertNoConsoleErrors() {
        assertThat(consoleErrors()).as("console errors on " + path()).isEmpty();
    }

    /** Milliseconds from a fresh load of {@code path} until {@code readyCss} shows (the page's first useful paint). */
    public long timeToShow(String path, String readyCss) {
        long start = System.nanoTime();
        go(path);
        waitFor(readyCss);
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** Waits until {@code condition} holds (Awaitility, the dashboard's default patience). */
    public static void eventually(Supplier<Boolean> condition) {
        await().atMost(WAIT).ignoreExceptions().until(condition::get);
    }

    private static String describe(Rule v) {
        return v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " at " + v.getNodes().stream()
                .limit(3).map(n -> String.valueOf(n.getTarget())).toList();
    }

    private static String xpathLiteral(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }

    @Override
    public void close() {
        browser.close();
    }
}
