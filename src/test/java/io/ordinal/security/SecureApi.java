package io.ordinal.security;

import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import io.smallrye.jwt.build.Jwt;
import io.restassured.specification.RequestSpecification;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

/**
 * The one place the security tests say how to reach the API (scheme, trust) and with which token:
 * when security on serves HTTPS only, this is the one edit (base URI and the test CA's trust).
 */
public final class SecureApi {

    /** The root token of {@link SecureProfile}, in the store's format. */
    public static final String ROOT = "0123456789abcdef.rootrootrootrootrootrootrootrootrootrootroo";

    /** The service-account issuer of {@link SecureProfile}, and its signing key. */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final KeyPair ISSUER_KEY = rsa();

    private SecureApi() {
    }

    /** A service-account token for {@code subject}, as Kubernetes would project it. */
    public static String jwt(String subject) {
        return Jwt.issuer(ISSUER).audience("ordinal").subject(subject).issuedAt(Instant.now()).expiresIn(600)
                .jws().keyId("test").sign(ISSUER_KEY.getPrivate());
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request with no credential, over HTTPS (security on serves nothing else) to the test's HTTPS
     * port. The certificate is not checked here: {@code tls.HttpsTest} checks it against the CA.
     */
    public static RequestSpecification anonymous() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        return RestAssured.given().baseUri("https://localhost").port(port).relaxedHTTPSValidation();
    }

    /**
     * A raw TLS connection to the test's HTTPS port, for tests that write the bytes of requests
     * themselves. Like {@link #anonymous()}, it does not check the certificate.
     */
    public static java.net.Socket rawConnection() throws java.io.IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return context.getSocketFactory().createSocket("localhost", port);
        } catch (java.security.GeneralSecurityException e) {
            throw new java.io.IOException(e);
        }
    }

    /** A request with {@code Authorization: Bearer <token>}. */
    public static RequestSpecification as(String token) {
        return anonymous().header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification asRoot() {
        return as(ROOT);
    }

    /** Creates (or replaces) a role with the given grants, as root. */
    public static void role(String name, Map<String, String> prefixToAccess) {
        List<Map<String, String>> permissions = prefixToAccess.entrySet().stream()
                .map(e -> Map.of("prefix", e.getKey(), "access", e.getValue())).toList();
        asRoot().body(Map.of("permissions", permissions)).contentType("application/json")
                .put("/v1/auth/roles/" + name).then().statusCode(anyOf(equalTo(201), equalTo(200)));
    }

    /** Issues a token with the given roles, as root; answers the token string. */
    public static String token(String... roles) {
        return asRoot().body(Map.of("roles", List.of(roles), "description", "test")).contentType("application/json")
                .post("/v1/auth/tokens").then().statusCode(201).extract().path("token");
    }

    /** A name no other test uses. */
    public static String unique(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
