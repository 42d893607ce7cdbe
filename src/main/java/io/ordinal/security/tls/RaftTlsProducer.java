package io.ordinal.security.tls;

import io.ordinal.config.OrdinalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The process's {@link RaftTls}: mutual TLS from {@code ordinal.security.tls.dir} when security is enabled. */
@ApplicationScoped
public class RaftTlsProducer {

    @Produces
    @Singleton
    RaftTls raftTls(OrdinalConfig config) {
        OrdinalConfig.Security security = config.security();
        if (!security.enabled()) {
            return RaftTls.plain();
        }
        // ConfigRules made sure that the directory is set and holds the three files.
        TlsDirectory dir = new TlsDirectory(security.tls().dir().orElseThrow());
        try {
            return RaftTls.mutual(dir, security.tls().reloadPeriod());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the certificates of ordinal.security.tls.dir " + dir.dir()
                    + ": " + e.getMessage(), e);
        }
    }
}
