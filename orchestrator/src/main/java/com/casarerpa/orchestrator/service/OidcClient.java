package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relying party of OpenID Connect single sign-on, through the Nimbus SDK: reads the
 * provider's discovery document (cached for {@link #DISCOVERY_TTL}; a failed refresh keeps the
 * last good one), builds the authorization request of the code flow with PKCE (S256), state and
 * nonce, exchanges the code (client_secret_basic, or client_secret_post when that is all the
 * provider takes), and checks the ID token: its signature against the provider's JWKS (asymmetric
 * algorithms only, keys cached and refetched when an unknown key id appears), issuer, audience,
 * expiry and nonce. Every call to the provider has {@link #TIMEOUT}.
 */
public final class OidcClient {
    private static final Logger log = LoggerFactory.getLogger(OidcClient.class);
    static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.copyOf(List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519));

    private final OrchestratorSettings.Oidc settings;
    private final Issuer issuer;
    private final ClientID clientId;
    private final OidcClaims claims;
    private final Clock clock;
    private final AtomicReference<Provider> provider = new AtomicReference<>();

    /** What discovery found, with the validator of its ID tokens. */
    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator, Instant fetchedAt) {}

    public OidcClient(OrchestratorSettings.Oidc settings, Clock clock) {
        this.settings = settings;
        this.issuer = new Issuer(settings.issuer());
        this.clientId = new ClientID(settings.clientId());
        this.claims = new OidcClaims(settings.groupsClaim(), settings.usernameClaim());
        this.clock = clock;
    }

    public String issuer() {
        return issuer.getValue();
    }

    /** Fresh secrets of one sign-in: a state, a nonce and a PKCE code verifier, each from a strong random source. */
    public static LoginTransaction.Secrets newSecrets() {
        return new LoginTransaction.Secrets(new State().getValue(), new Nonce().getValue(), new CodeVerifier().getValue());
    }

    /** Where to send the browser to sign in: the provider's authorization endpoint with this sign-in's request. */
    public URI authorizationUri(LoginTransaction tx) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)), clientId,
                tx.redirectUri())
                .endpointURI(provider().metadata().getAuthorizationEndpointURI())
                .state(new State(tx.state()))
                .nonce(new Nonce(tx.nonce()))
                .codeChallenge(new CodeVerifier(tx.codeVerifier()), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /**
     * Exchanges the authorization code of {@code tx}'s callback for tokens and returns who the
     * verified ID token names.
     *
     * @throws SignInRefused 401 when the provider refuses the code (wrong verifier, used or
     *                       expired code, wrong client secret) or the ID token does not verify
     * @throws IdentityProviderUnavailable when the provider cannot be reached or answers nonsense
     */
    public OidcIdentity exchange(String code, LoginTransaction tx) {
        Provider p = provider();
        TokenRequest request = tokenRequest(p.metadata(), new AuthorizationCodeGrant(new AuthorizationCode(code), tx.redirectUri(),
                new CodeVerifier(tx.codeVerifier())));
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout((int) TIMEOUT.toMillis());
            http.setReadTimeout((int) TIMEOUT.toMillis());
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw unavailable("its token endpoint " + p.metadata().getTokenEndpointURI() + " failed", e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String what = error.getCode() == null ? "HTTP " + error.getHTTPStatusCode() : error.getCode();
            throw SignInRefused.unauthenticated("code_refused", "the identity provider refused the authorization code: " + what
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")")
                    + "; start the sign-in again, and if it keeps failing check oidc.client_id and oidc.client_secret",
                    Optional.ofNullable(error.getCode()));
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw SignInRefused.unauthenticated("id_token_missing", "the identity provider answered without an ID token;"
                    + " check that oidc.scopes includes openid and that the client is an OpenID Connect client");
        }
        return claims.identityOf(verify(p.validator(), idToken, new Nonce(tx.nonce())));
    }

    private IDTokenClaimsSet verify(IDTokenValidator validator, JWT idToken, Nonce nonce) {
        try {
            return validator.validate(idToken, nonce);
        } catch (BadJOSEException e) {
            boolean wrongNonce = String.valueOf(e.getMessage()).contains("nonce");
            throw SignInRefused.unauthenticated(wrongNonce ? "nonce_mismatch" : "id_token_invalid",
                    (wrongNonce ? "the ID token's nonce is not the one this sign-in sent" : "the ID token did not verify: "
                            + e.getMessage()) + "; start the sign-in again");
        } catch (RateLimitReachedException e) {
            throw SignInRefused.unauthenticated("id_token_invalid", "the ID token is signed with a key the identity provider"
                    + " does not publish; start the sign-in again");
        } catch (KeySourceException e) {
            throw unavailable("its keys (JWKS) could not be read", e);
        } catch (JOSEException e) {
            throw SignInRefused.unauthenticated("id_token_invalid", "the ID token did not verify: " + e.getMessage());
        }
    }

    private TokenRequest tokenRequest(OIDCProviderMetadata metadata, AuthorizationCodeGrant grant) {
        URI endpoint = metadata.getTokenEndpointURI();
        if (settings.clientSecret().isEmpty()) {
            return new TokenRequest(endpoint, clientId, grant);
        }
        Secret secret = new Secret(settings.clientSecret().get().reveal());
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        boolean postOnly = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        return new TokenRequest(endpoint, postOnly ? new ClientSecretPost(clientId, secret) : new ClientSecretBasic(clientId, secret),
                grant);
    }

    /** The provider as discovered, fetched when missing or older than {@link #DISCOVERY_TTL}. */
    private Provider provider() {
        Provider current = provider.get();
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.fetchedAt().plus(DISCOVERY_TTL))) {
            return current;
        }
        try {
            Provider fresh = discover(now);
            provider.set(fresh);
            return fresh;
        } catch (IdentityProviderUnavailable e) {
            if (current == null) {
                throw e;
            }
            log.warn("single sign-on: could not refresh the discovery document of {}, keeping the one from {}: {}", issuer,
                    current.fetchedAt(), e.getMessage());
            return current;
        }
    }

    private Provider discover(Instant now) {
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(issuer, (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis());
        } catch (GeneralException | IOException e) {
            throw unavailable("its discovery document could not be read", e);
        }
        if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                || metadata.getJWKSetURI() == null) {
            throw unavailable("its discovery document names no authorization endpoint, token endpoint or jwks_uri", null);
        }
        Set<JWSAlgorithm> algorithms = metadata.getIDTokenJWSAlgs() == null ? Set.of(JWSAlgorithm.RS256)
                : metadata.getIDTokenJWSAlgs().stream().filter(ASYMMETRIC::contains).collect(Collectors.toSet());
        if (algorithms.isEmpty()) {
            throw unavailable("it signs ID tokens only with " + metadata.getIDTokenJWSAlgs()
                    + "; the orchestrator accepts asymmetric signatures (RS256, ES256, …) checked against the provider's JWKS", null);
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever((int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis(), JWKS_SIZE_LIMIT)).build();
        } catch (IOException | IllegalArgumentException e) {
            throw unavailable("its jwks_uri is not a URL: " + metadata.getJWKSetURI(), e);
        }
        IDTokenValidator validator = new IDTokenValidator(issuer, clientId, new JWSVerificationKeySelector<>(algorithms, keys), null);
        return new Provider(metadata, validator, now);
    }

    private IdentityProviderUnavailable unavailable(String what, Exception cause) {
        String message = "the identity provider " + issuer + " cannot be used: " + what
                + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
                + "; try again later, and if it lasts check oidc.issuer and the provider";
        log.warn("single sign-on: {}", message);
        return new IdentityProviderUnavailable(message, cause);
    }
}
