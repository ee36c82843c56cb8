package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

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
    private static final String AXE_SOURCE = axeSource();

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

    /** Saves the window as it is now as {@code <name>.png} (see {@link #screenshots} for both widths). */
    public void screenshot(String name) {
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    /**
     * axe-core's violations of impact serious or critical on the page as it is now (WCAG 2.0 and
     * 2.1, A and AA rules), each as "rule (impact): help at [the first three elements]". axe is put
     * into the page once per load and run there with the details of violations only: Deque's
     * AxeBuilder put its 550 KB in again at every run and sent back every node that passed, which
     * made a run two to three times as slow as axe itself on a busy machine.
     */
    @SuppressWarnings("unchecked")
    public List<String> seriousViolations() {
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
            script(AXE_SOURCE);
        }
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                    resultTypes: ['violations']})
                  .then((r) => done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
                      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`)),
                    (e) => done(['axe-core did not run: ' + e]));
                """);
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

    // --- The keyboard ---

    /** Presses keys (Keys.TAB, ENTER, SPACE, ESCAPE, arrows) or types text on whatever has the focus, as a person does. */
    public void press(CharSequence... keys) {
        new Actions(browser.driver()).sendKeys(keys).perform();
    }

    public void pressShiftTab() {
        new Actions(browser.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    }

    /** Replaces the text of the focused field by typing: Ctrl+A, then the text. */
    public void retype(String text) {
        new Actions(browser.driver()).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(Keys.BACK_SPACE).perform();
        press(text);
    }

    /** True when the focused element matches {@code css}. */
    public boolean focusIs(String css) {
        return Boolean.TRUE.equals(script("return !!document.activeElement && document.activeElement.matches(arguments[0])", css));
    }

    /** The focused element, for messages: {@code button#job-cancel.danger "Cancel"}. */
    public String focused() {
        return String.valueOf(script("""
                const e = document.activeElement;
                if (!e || e === document.body) return 'nothing (the body)';
                const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
                return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + cls + ' "' + (e.textContent || e.value || '').trim().slice(0, 40) + '"'
                  + (e.closest('dialog') ? ' in a dialog' : '');
                """));
    }

    /** Waits until the focus is on an element matching {@code css} (after a dialog closes or a page redraws). */
    public void awaitFocus(String css) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(focusIs(css)).as("focus on " + css + ", not on " + focused()).isTrue());
    }

    /**
     * Presses Tab until the focus is on an element matching {@code css}, at most 80 times, checking
     * at each stop that the focus is visible ({@link #assertFocusVisible}). Past the end of the
     * page the focus leaves the document (the browser's own bar) and the next Tab starts at the top.
     */
    public void tabTo(String css) {
        tabUntil(css, false);
    }

    /** As {@link #tabTo}, with Shift+Tab. */
    public void tabBackTo(String css) {
        tabUntil(css, true);
    }

    private void tabUntil(String css, boolean back) {
        List<String> passed = new java.util.ArrayList<>();
        for (int i = 0; i < 80; i++) {
            if (back) {
                pressShiftTab();
            } else {
                press(Keys.TAB);
            }
            if (Boolean.TRUE.equals(script("return document.activeElement === document.body"))) {
                passed.add("(out of the page)");
                continue;
            }
            assertFocusVisible();
            if (focusIs(css)) {
                return;
            }
            passed.add(focused());
        }
        throw new AssertionError("80 presses of " + (back ? "Shift+Tab" : "Tab") + " on " + path() + " never reached " + css
                + "; the focus went to " + passed);
    }

    /**
     * The focused element shows that it has the focus: an outline of at least 2 px (or, for a tree
     * item, its row's; for a node of an SVG graph, its box's stroke) whose colour has a contrast of
     * at least 3:1 with what is behind it (WCAG 2.4.7 and 1.4.11).
     */
    public void assertFocusVisible() {
        Object problem = script(FOCUS_INDICATOR);
        assertThat(problem).as("the focus indicator of " + focused() + " on " + path()).isNull();
    }

    private static final String FOCUS_INDICATOR = """
            const el = document.activeElement;
            if (!el || el === document.body) return 'nothing has the focus';
            const rgb = (c) => { const m = (c.match(/[\\d.]+/g) || []).map(Number); return m.length >= 3 ? {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1} : null; };
            const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
            const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
            const behind = (node) => {
              for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
                const c = rgb(getComputedStyle(n).backgroundColor);
                if (c && c.a > 0.5) return c;
              }
              return {r: 255, g: 255, b: 255};
            };
            let ring = null;
            if (el instanceof SVGElement) {
              const shape = el.querySelector('rect') || el;
              const s = getComputedStyle(shape);
              ring = {color: rgb(s.stroke), width: parseFloat(s.strokeWidth), against: rgb(s.fill), what: 'stroke'};
            } else {
              for (const n of [el, el.firstElementChild]) {
                const s = n && getComputedStyle(n);
                if (s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
                  ring = {color: rgb(s.outlineColor), width: parseFloat(s.outlineWidth),
                    against: behind(parseFloat(s.outlineOffset) < 0 ? n : n.parentElement), what: 'outline'};
                  break;
                }
              }
            }
            if (!ring || !ring.color) {
              const s = getComputedStyle(el);
              return `no outline (outline: ${s.outlineStyle} ${s.outlineWidth}; :focus ${el.matches(':focus')}, :focus-visible ${el.matches(':focus-visible')}, :focus-within ${el.matches(':focus-within')}, the page has the focus: ${document.hasFocus()})`;
            }
            const r = ratio(ring.color, ring.against);
            if (ring.width < 2 || r < 3) return `${ring.what} of ${ring.width}px, contrast ${r.toFixed(2)}:1`;
            return null;
            """;

    /** Makes the browser say that the system prefers the {@code dark} or {@code light} colour scheme (the "System theme"). */
    public void prefersColorScheme(String scheme) {
        ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setEmulatedMedia",
                java.util.Map.of("features", List.of(java.util.Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Waits until {@code condition} holds (Awaitility, the dashboard's default patience). */
    public static void eventually(Supplier<Boolean> condition) {
        await().atMost(WAIT).ignoreExceptions().until(condition::get);
    }

    /** axe-core's script as Deque ships it in its jar (the version pinned in pom.xml). */
    private static String axeSource() {
        try (InputStream in = DashboardBrowser.class.getResourceAsStream("/axe.min.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xpathLiteral(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }

    @Override
    public void close() {
        browser.close();
    }
}
