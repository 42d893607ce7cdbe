package io.ordinal.security.tls;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What was made from some files, made again when they change: looked at, at most once per period, by
 * the first caller after it (a TLS handshake), and remade only when their {@link FileStamps} changed.
 * A change that cannot be loaded (a file missing, half a rotation) keeps the previous value and is
 * tried again a period later.
 *
 * @param <T> what the files make
 */
final class Reloading<T> {

    private static final Logger LOG = Logger.getLogger(Reloading.class);

    /** Makes the value from the files. */
    interface Loader<T> {
        T load() throws IOException;
    }

    /** One value, numbered: a handshake that began with one generation may finish after the next one is loaded. */
    record Generation<T>(long number, T value, Object stamps) {
    }

    private final String what;
    private final FileStamps files;
    private final long periodNanos;
    private final Loader<T> loader;
    private volatile Generation<T> current;
    private volatile Generation<T> previous;
    private volatile long nextLook;

    /** Loads the files now: a process that cannot read them at startup fails there. */
    Reloading(String what, List<Path> files, Duration period, Loader<T> loader) throws IOException {
        this.what = what;
        this.files = new FileStamps(files);
        this.periodNanos = period.toNanos();
        this.loader = loader;
        Object stamps = this.files.read();
        this.current = new Generation<>(0, loader.load(), stamps);
        this.previous = current;
        this.nextLook = System.nanoTime() + periodNanos;
    }

    /** The newest value, after looking at the files if a period has passed since the last look. */
    Generation<T> current() {
        if (System.nanoTime() - nextLook >= 0) {
            look();
        }
        return current;
    }

    /** The generation numbered {@code number} if it is the current or the one before, else null. */
    Generation<T> generation(long number) {
        Generation<T> c = current;
        if (c.number() == number) {
            return c;
        }
        Generation<T> p = previous;
        return p.number() == number ? p : null;
    }

    private synchronized void look() {
        if (System.nanoTime() - nextLook < 0) {
            return; // another caller looked meanwhile
        }
        nextLook = System.nanoTime() + periodNanos;
        try {
            Object stamps = files.read();
            if (stamps.equals(current.stamps())) {
                return;
            }
            T value = loader.load();
            previous = current;
            current = new Generation<>(current.number() + 1, value, stamps);
            LOG.infof("%s: reloaded %s", what, files.files());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: %s changed but cannot be loaded (%s); still using the previous files, trying again in %d ms",
                    what, files.files(), e.getMessage(), Duration.ofNanos(periodNanos).toMillis());
        }
    }
}
