package io.ordinal.security.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Presents {@code tls.crt} and {@code tls.key}, read again when they change ({@link Reloading}), so
 * that a rotated certificate is used from the next handshake on, without a restart. A handshake asks
 * for an alias first and for its key and chain after: the alias names the generation of the files it
 * came from, so a handshake that straddles a reload still gets a key and a chain that belong together.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private final Reloading<X509ExtendedKeyManager> managers;

    public ReloadingKeyManager(TlsDirectory dir, Duration period) throws IOException {
        this.managers = new Reloading<>("the certificate of " + dir.dir(), List.of(dir.certificate(), dir.key()), period,
                () -> PemFiles.keyManager(dir.certificate(), dir.key()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Reloading.Generation<X509ExtendedKeyManager> g = managers.current();
        return alias(g, g.value().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Reloading.Generation<X509ExtendedKeyManager> g = managers.current();
        return alias(g, g.value().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        Reloading.Generation<X509ExtendedKeyManager> g = managers.current();
        return alias(g, g.value().chooseClientAlias(keyTypes, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        Reloading.Generation<X509ExtendedKeyManager> g = managers.current();
        return alias(g, g.value().chooseEngineClientAlias(keyTypes, issuers, engine));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Reloading.Generation<X509ExtendedKeyManager> g = managers.current();
        return aliases(g, g.value().getServerAliases(keyType, issuers));
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        Reloading.Generation<X509ExtendedKeyManager> g = managers.current();
        return aliases(g, g.value().getClientAliases(keyType, issuers));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Reloading.Generation<X509ExtendedKeyManager> g = generationOf(alias);
        return g == null ? null : g.value().getCertificateChain(inner(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Reloading.Generation<X509ExtendedKeyManager> g = generationOf(alias);
        return g == null ? null : g.value().getPrivateKey(inner(alias));
    }

    private static String alias(Reloading.Generation<?> g, String inner) {
        return inner == null ? null : g.number() + ":" + inner;
    }

    private static String[] aliases(Reloading.Generation<?> g, String[] inner) {
        if (inner == null) {
            return null;
        }
        String[] aliases = new String[inner.length];
        for (int i = 0; i < inner.length; i++) {
            aliases[i] = alias(g, inner[i]);
        }
        return aliases;
    }

    private Reloading.Generation<X509ExtendedKeyManager> generationOf(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return managers.generation(Long.parseLong(alias.substring(0, colon)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String inner(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }
}
