package com.casarerpa.orchestrator.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small OpenID Connect provider on loopback, for tests, built with the Nimbus SDK: a discovery
 * document, its JWKS, an {@code /authorize} that signs in the configured {@link TestUser} at once
 * (no page) and honours PKCE S256, state, nonce and the registered redirect URIs, and a
 * {@code /token} that checks the client secret (basic or post), the code, its redirect URI and
 * the code verifier, and answers with an RS256 ID token. Knobs let a test make it misbehave
 * (a foreign signing key, a wrong nonce, a lost PKCE challenge) or refuse.
 */
public final class LoopbackOidcProvider implements AutoCloseable {
    public static final String CLIENT_ID = "casare-orchestrator";
    public static final String CLIENT_SECRET = "loopback-client-secret-0123456789abcdef";

    /** The person signed in at {@code /authorize}. */
    public record TestUser(String subject, String username, String email, boolean emailVerified, String name, List<String> groups) {
        public TestUser {
            groups = List.copyOf(groups);
        }

        public TestUser withGroups(String... names) {
            return new TestUser(subject, username, email, emailVerified, name, List.of(names));
        }
    }

    /** What {@code /authorize} was asked, for assertions. */
    public record Authorization(URI redirectUri, String state, String nonce, String challengeMethod, String scope) {}

    private record IssuedCode(TestUser user, URI redirectUri, String challenge, String nonce, Instant expiresAt) {}

    private final HttpServer server;
    private final String issuer;
    private final RSAKey signingKey;
    private final RSAKey foreignKey;
    private final Set<URI> redirectUris = ConcurrentHashMap.newKeySet();
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final List<Authorization> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> tokenAuthMethods = new CopyOnWriteArrayList<>();
    private volatile TestUser user = new TestUser("subject-alice", "alice", "alice@example.com", true, "Alice Example",
            List.of());
    private volatile boolean signWithForeignKey;
    private volatile Optional<String> nonceOverride = Optional.empty();
    private volatile boolean loseChallenge;
    private volatile List<ClientAuthenticationMethod> authMethods = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
            ClientAuthenticationMethod.CLIENT_SECRET_POST);
    private volatile Optional<String> denyWith = Optional.empty();
    private volatile boolean consentPage;

    /**
     * The providers' keys, made once per JVM: an RSA key takes a few hundred milliseconds to
     * make, and most tests start a provider of their own. Providers differ by issuer (their port).
     */
    private static final class Keys {
        static final RSAKey SIGNING = generate();
        /** Same key id, another key: what an attacker without the provider's key would sign with. */
        static final RSAKey FOREIGN = generate();

        private static RSAKey generate() {
            try {
                return new RSAKeyGenerator(2048).keyID("loopback-1").generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private LoopbackOidcProvider(String hostName) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        issuer = "http://" + hostName + ":" + server.getAddress().getPort();
        signingKey = Keys.SIGNING;
        foreignKey = Keys.FOREIGN;
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", ex -> answer(ex, 200, "application/json", new JWKSet(signingKey.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    /** A provider at {@code http://127.0.0.1:<port>}. */
    public static LoopbackOidcProvider start() {
        return start("127.0.0.1");
    }

    /**
     * A provider listening on 127.0.0.1 whose issuer names it {@code hostName}: {@code localhost}
     * makes it another site than an orchestrator at 127.0.0.1, as a real provider is (a browser
     * tells sites apart by host, not by port).
     */
    public static LoopbackOidcProvider start(String hostName) {
        try {
            return new LoopbackOidcProvider(hostName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /**
     * The environment that points an orchestrator at this provider as its registered client; the
     * callback URL is left to the orchestrator to derive (register it with {@link #registerRedirectUri}).
     */
    public Map<String, String> env() {
        return Map.of("CASARE_OIDC_ISSUER", issuer, "CASARE_OIDC_CLIENT_ID", CLIENT_ID, "CASARE_OIDC_CLIENT_SECRET", CLIENT_SECRET);
    }

    /** Allows a callback URL: {@code /authorize} sends browsers nowhere else. */
    public void registerRedirectUri(String uri) {
        redirectUris.add(URI.create(uri));
    }

    public TestUser user() {
        return user;
    }

    public void signIn(TestUser next) {
        user = next;
    }

    /** ID tokens signed with a key this provider does not publish (under the published key's id). */
    public void signWithForeignKey(boolean on) {
        signWithForeignKey = on;
    }

    /** ID tokens carrying this nonce instead of the one asked for. */
    public void overrideNonce(Optional<String> nonce) {
        nonceOverride = nonce;
    }

    /** Codes issued from now on forget their PKCE challenge, so no code verifier matches. */
    public void loseChallenge(boolean on) {
        loseChallenge = on;
    }

    /** The token endpoint's client authentication methods, as the discovery document advertises them. */
    public void acceptOnly(ClientAuthenticationMethod method) {
        authMethods = List.of(method);
    }

    /** {@code /authorize} answers with this OAuth error (access_denied, say) instead of a code. */
    public void deny(Optional<String> error) {
        denyWith = error;
    }

    /**
     * {@code /authorize} answers with a page whose link (id {@code approve}) leads back, instead of
     * a redirect: the way back then starts from a page of the provider's site, as after a real
     * provider's sign-in form.
     */
    public void showConsentPage(boolean on) {
        consentPage = on;
    }

    public List<Authorization> authorizations() {
        return List.copyOf(authorizations);
    }

    /** How each token request authenticated the client: {@code client_secret_basic}, {@code client_secret_post}. */
    public List<String> tokenAuthMethods() {
        return List.copyOf(tokenAuthMethods);
    }

    private void discovery(HttpExchange ex) throws IOException {
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(new Issuer(issuer), List.of(SubjectType.PUBLIC),
                URI.create(issuer + "/jwks"));
        metadata.setAuthorizationEndpointURI(URI.create(issuer + "/authorize"));
        metadata.setTokenEndpointURI(URI.create(issuer + "/token"));
        metadata.setResponseTypes(List.of(ResponseType.CODE));
        metadata.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
        metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        metadata.setTokenEndpointAuthMethods(authMethods);
        metadata.setSupportsAuthorizationResponseIssuerParam(true);
        answer(ex, 200, "application/json", metadata.toJSONObject().toJSONString());
    }

    private void authorize(HttpExchange ex) throws IOException {
        AuthenticationRequest request;
        try {
            request = AuthenticationRequest.parse(URI.create(issuer + ex.getRequestURI()));
        } catch (ParseException e) {
            answer(ex, 400, "text/plain", "not an authentication request: " + e.getMessage());
            return;
        }
        if (!request.getClientID().getValue().equals(CLIENT_ID) || !redirectUris.contains(request.getRedirectionURI())) {
            // Never redirect to an unknown client or an unregistered URI.
            answer(ex, 400, "text/plain", "unknown client or unregistered redirect_uri " + request.getRedirectionURI());
            return;
        }
        String state = request.getState() == null ? null : request.getState().getValue();
        authorizations.add(new Authorization(request.getRedirectionURI(), state,
                request.getNonce() == null ? null : request.getNonce().getValue(),
                request.getCodeChallengeMethod() == null ? null : request.getCodeChallengeMethod().getValue(),
                request.getScope().toString()));
        Optional<String> error = denyWith;
        if (error.isEmpty() && (state == null || request.getNonce() == null || request.getCodeChallenge() == null
                || !CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod()) || !request.getScope().contains("openid")
                || !request.getResponseType().impliesCodeFlow())) {
            error = Optional.of("invalid_request");
        }
        List<String> params = new ArrayList<>();
        if (error.isPresent()) {
            params.add("error=" + error.get());
        } else {
            String code = new AuthorizationCode().getValue();
            codes.put(code, new IssuedCode(user, request.getRedirectionURI(),
                    loseChallenge ? "lost-" + UUID.randomUUID() : request.getCodeChallenge().getValue(),
                    request.getNonce().getValue(), Instant.now().plusSeconds(60)));
            params.add("code=" + enc(code));
        }
        if (state != null) {
            params.add("state=" + enc(state));
        }
        params.add("iss=" + enc(issuer));
        String back = request.getRedirectionURI() + "?" + String.join("&", params);
        if (consentPage) {
            answer(ex, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><a id=\"approve\" href=\""
                    + back.replace("&", "&amp;") + "\">Approve</a></body></html>");
            return;
        }
        ex.getResponseHeaders().add("Location", back);
        answer(ex, 302, "text/plain", "");
    }

    private void token(HttpExchange ex) throws IOException {
        HTTPResponse response;
        try {
            response = tokenResponse(ex);
        } catch (ParseException e) {
            response = new TokenErrorResponse(OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage())).toHTTPResponse();
        }
        response.getHeaderMap().forEach((name, values) -> values.forEach(v -> ex.getResponseHeaders().add(name, v)));
        answer(ex, response.getStatusCode(), response.getHeaderValue("Content-Type"), response.getBody());
    }

    private HTTPResponse tokenResponse(HttpExchange ex) throws ParseException, IOException {
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.valueOf(ex.getRequestMethod()), URI.create(issuer + "/token"));
        ex.getRequestHeaders().forEach((name, values) -> http.setHeader(name, values.toArray(String[]::new)));
        http.setBody(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        TokenRequest request = TokenRequest.parse(http);
        ClientAuthentication auth = request.getClientAuthentication();
        if (!(auth instanceof PlainClientSecret secret) || !authMethods.contains(auth.getMethod())
                || !secret.getClientID().getValue().equals(CLIENT_ID) || !secret.getClientSecret().getValue().equals(CLIENT_SECRET)) {
            return error(OAuth2Error.INVALID_CLIENT);
        }
        tokenAuthMethods.add(auth.getMethod().getValue());
        if (!(request.getAuthorizationGrant() instanceof AuthorizationCodeGrant grant)) {
            return error(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
        }
        IssuedCode issued = codes.remove(grant.getAuthorizationCode().getValue());
        if (issued == null || Instant.now().isAfter(issued.expiresAt())) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("unknown, used or expired code"));
        }
        if (!issued.redirectUri().equals(grant.getRedirectionURI())) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("redirect_uri differs from the authorization request's"));
        }
        if (grant.getCodeVerifier() == null || !CodeChallenge.compute(CodeChallengeMethod.S256, grant.getCodeVerifier()).getValue()
                .equals(issued.challenge())) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("PKCE verification failed"));
        }
        return new OIDCTokenResponse(new OIDCTokens(idToken(issued), new BearerAccessToken(), null)).toHTTPResponse();
    }

    private SignedJWT idToken(IssuedCode issued) {
        TestUser u = issued.user();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(u.subject())
                .audience(CLIENT_ID)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", nonceOverride.orElse(issued.nonce()))
                .claim("email", u.email())
                .claim("email_verified", u.emailVerified())
                .claim("name", u.name())
                .claim("preferred_username", u.username())
                .claim("groups", u.groups())
                .build();
        RSAKey key = signWithForeignKey ? foreignKey : signingKey;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt;
    }

    private static HTTPResponse error(ErrorObject error) {
        return new TokenErrorResponse(error).toHTTPResponse();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void answer(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
