package io.ordinal.it;

import io.ordinal.client.KvClient;
import io.ordinal.client.UnavailableException;
import io.ordinal.security.Access;
import io.ordinal.security.AuthCache;
import io.ordinal.security.Binding;
import io.ordinal.security.Permission;
import io.ordinal.security.Role;
import io.ordinal.security.AuthRecords;
import io.ordinal.security.AuthStore;
import io.ordinal.security.AuthenticationException;
import io.ordinal.security.Authenticator;
import io.ordinal.security.Principal;
import io.ordinal.security.VerifiedJwt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two frontends of one cluster, each with its own cache of the access records: a token revoked
 * through one is refused by the other within 2 s; and a frontend whose records can no longer be
 * confirmed current (no replica answers) refuses rather than trusts them.
 */
class AuthCacheClusterTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(2);
    private static final Function<String, VerifiedJwt> NO_JWTS = jwt -> {
        throw new AuthenticationException("no JWTs here");
    };

    @TempDir
    Path dir;

    private record Frontend(AuthCache cache, AuthStore store, Authenticator authenticator) {
        static Frontend of(KvClient client) {
            AuthCache cache = new AuthCache(client, MAX_AGE, Duration.ofMillis(500));
            cache.start();
            return new Frontend(cache, new AuthStore(client, cache), new Authenticator(null, cache, NO_JWTS));
        }
    }

    @Test
    void aTokenRevokedThroughOneFrontendIsRefusedByTheOtherWithinTwoSeconds() {
        try (TestCluster cluster = TestCluster.start(1, dir)) {
            Frontend a = Frontend.of(cluster.newClient(Duration.ofSeconds(5)));
            Frontend b = Frontend.of(cluster.newClient(Duration.ofSeconds(5)));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> a.cache().current() && b.cache().current());
                String token = a.store().issueToken(List.of(), "ci", null).join().token();
                Principal seen = b.authenticator().authenticate(token).join();
                assertThat(seen.subject()).isEqualTo("token:" + token.substring(0, 16));
                // Known to b from its watch, not only by asking the store on a miss.
                await().atMost(MAX_AGE).until(() -> b.cache().token(token.substring(0, 16)).isPresent());

                long revoked = System.nanoTime();
                assertThat(a.store().delete(AuthRecords.Kind.TOKEN, token.substring(0, 16)).join()).isTrue();
                await().atMost(MAX_AGE).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                        assertThatThrownBy(() -> b.authenticator().authenticate(token).join())
                                .hasCauseInstanceOf(AuthenticationException.class));
                assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(MAX_AGE);
            } finally {
                a.cache().close();
                b.cache().close();
            }
        }
    }

    @Test
    void aJwtSubjectHoldsTheRolesOfItsBindings() {
        try (TestCluster cluster = TestCluster.start(1, dir)) {
            KvClient client = cluster.newClient(Duration.ofSeconds(5));
            AuthCache cache = new AuthCache(client, MAX_AGE, Duration.ofMillis(500));
            cache.start();
            try {
                AuthStore store = new AuthStore(client, cache);
                String subject = "system:serviceaccount:team-a:api";
                Authenticator jwts = new Authenticator(null, cache,
                        jwt -> new VerifiedJwt(subject, java.time.Instant.now().plusSeconds(60)));
                await().atMost(Duration.ofSeconds(10)).until(cache::current);
                store.putRole(new Role("team-a", List.of(new Permission("team-a/", Access.READWRITE)))).join();
                assertThat(store.putBinding(new Binding("team-a-api", subject, List.of("team-a"))).join()).isTrue();
                Principal p = jwts.authenticate("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").join();
                assertThat(p.subject()).isEqualTo(subject);
                assertThat(p.roles()).containsExactly("team-a");
                assertThat(p.permissions()).containsExactly(new Permission("team-a/", Access.READWRITE));
                store.delete(AuthRecords.Kind.BINDING, "team-a-api").join();
                assertThat(jwts.authenticate("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").join().roles()).isEmpty();
            } finally {
                cache.close();
            }
        }
    }

    @Test
    void recordsThatCannotBeConfirmedCurrentAreNotTrusted() {
        try (TestCluster cluster = TestCluster.start(1, dir)) {
            Frontend a = Frontend.of(cluster.newClient(Duration.ofSeconds(2)));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> a.cache().current());
                String token = a.store().issueToken(List.of(), null, null).join().token();
                a.authenticator().authenticate(token).join();
                cluster.stopReplica(0);
                await().atMost(MAX_AGE.plusSeconds(2)).until(() -> !a.cache().current());
                assertThatThrownBy(() -> a.authenticator().authenticate(token).join())
                        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(UnavailableException.class);
            } finally {
                a.cache().close();
            }
        }
    }
}
