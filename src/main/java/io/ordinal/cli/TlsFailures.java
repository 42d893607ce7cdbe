package io.ordinal.cli;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/** A TLS handshake that failed, said as what is wrong and what to do: the JDK's words name neither. */
final class TlsFailures {

    private TlsFailures() {
    }

    static Http.Failure explain(SSLException e, String endpoint, Path cacert) {
        if (caused(e, CertPathBuilderException.class) || caused(e, CertPathValidatorException.class)) {
            return new Http.Failure(0, cacert != null
                    ? "the server's certificate at " + endpoint + " is not signed by --cacert " + cacert
                    : "the server's certificate at " + endpoint + " is not signed by a CA this JVM trusts:"
                            + " give the cluster's CA with --cacert FILE or $KV_CACERT");
        }
        if (caused(e, CertificateException.class) && String.valueOf(rootMessage(e)).contains("No subject alternative")) {
            return new Http.Failure(0, "the server's certificate is not valid for the host of " + endpoint + ": "
                    + rootMessage(e));
        }
        if (String.valueOf(rootMessage(e)).contains("Unsupported or unrecognized SSL message")) {
            return new Http.Failure(0, endpoint + " does not answer TLS: is it an http:// endpoint?");
        }
        return new Http.Failure(0, "the TLS handshake with " + endpoint + " failed: " + rootMessage(e));
    }

    private static boolean caused(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
