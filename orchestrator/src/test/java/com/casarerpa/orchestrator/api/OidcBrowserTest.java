package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Browser;
import com.casarerpa.orchestrator.testing.LoopbackOidcProvider;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * Single sign-on in a real browser (headless chromium, {@link Browser}): the browser follows the
 * redirects to the loopback provider and back by itself and keeps its cookies as it keeps them
 * for any site. The provider is {@code localhost} and the orchestrator {@code 127.0.0.1}, two
 * sites, as in real life, so the session cookie's {@code SameSite=Strict} is tested for real.
 */
@Tag("browser")
class OidcBrowserTest {
    @TempDir
    Path workDir;

    LoopbackOidcProvider provider;
    RunningOrchestrator server;
    Browser browser;

    @BeforeEach
    void start() {
        provider = LoopbackOidcProvider.start("localhost");
        Map<String, String> env = new HashMap<>(provider.env());
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
        server = RunningOrchestrator.embedded(workDir, env);
        provider.registerRedirectUri(server.url() + OidcRoutes.CALLBACK);
        browser = Browser.start();
    }

    @AfterEach
    void stop() {
        browser.close();
        server.close();
        provider.close();
    }

    @Test
    void the_sign_in_button_leads_through_the_provider_to_return_to_signed_in() {
        // The way back starts from the provider's page, another site: the session cookie
        // (SameSite=Strict) must count on the first page all the same.
        provider.showConsentPage(true);
        browser.open(server.url() + OidcRoutes.LOGIN + "?return_to=" + URLEncoder.encode("/api/v1/auth/me", StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(browser.currentUrl()).startsWith(provider.issuer()));
        browser.driver().findElement(By.id("approve")).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(browser.currentUrl()).isEqualTo(server.url() + "/api/v1/auth/me"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(browser.bodyText()).contains("\"kind\":\"user\"").contains("\"username\":\"alice\""));
        assertThat(provider.authorizations()).singleElement().satisfies(a -> assertThat(a.challengeMethod()).isEqualTo("S256"));

        Cookie session = browser.driver().manage().getCookieNamed("casare_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(browser.driver().manage().getCookieNamed("casare_csrf").isHttpOnly()).isFalse();
        assertThat(browser.driver().manage().getCookies()).noneSatisfy(c -> assertThat(c.getName())
                .startsWith("casare_oidc_"));
    }

    @Test
    void a_refusal_by_the_provider_shows_its_reason_and_signs_nobody_in() {
        provider.deny(java.util.Optional.of("access_denied"));
        browser.open(server.url() + OidcRoutes.LOGIN);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(browser.bodyText()).contains("access_denied").contains("provider_error"));
        assertThat(browser.driver().manage().getCookieNamed("casare_session")).isNull();
    }
}
