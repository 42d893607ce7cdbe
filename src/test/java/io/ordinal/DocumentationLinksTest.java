package io.ordinal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link and image in the README files and docs/ names a file of the repository, and
 * every {@code #anchor} a heading of the page it points into: a screenshot that was never committed
 * or a section renamed under its links shows up here, not in a reader's browser.
 */
class DocumentationLinksTest {

    /** {@code [text](target)} and {@code ![alt](target)}, with an optional title after the target. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern EXTERNAL = Pattern.compile("^[a-z][a-z0-9+.-]*:", Pattern.CASE_INSENSITIVE);

    @Test
    void everyRelativeLinkInTheDocsResolvesToACommittedFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : links(page)) {
                String problem = check(page, target);
                if (problem != null) {
                    broken.add(page + ": " + target + " — " + problem);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsAreTheSlugsGitHubGivesHeadings() {
        assertThat(slug("Faster starts: the class-data archive")).isEqualTo("faster-starts-the-class-data-archive");
        assertThat(slug("The state machine's invariants")).isEqualTo("the-state-machines-invariants");
        assertThat(slug("Drills (local mode only)")).isEqualTo("drills-local-mode-only");
        assertThat(slug("`bin/kv-local` in detail")).isEqualTo("binkv-local-in-detail");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(
                Path.of("README.md"), Path.of("k8s/README.md"), Path.of("loadtest/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The link targets of a page, outside fenced code blocks and inline code. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (!EXTERNAL.matcher(target).find()) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    /** Why a relative link does not resolve, or null when it does. */
    private static String check(Path page, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file " + resolved;
        }
        if (hash < 0 || !resolved.toString().endsWith(".md")) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        return anchors(resolved).contains(anchor) ? null : "no heading #" + anchor + " in " + resolved;
    }

    private static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced && line.startsWith("#")) {
                    String slug = slug(line.replaceFirst("^#+\\s*", ""));
                    // GitHub numbers a repeated heading's anchor: x, x-1, x-2, ...
                    String unique = slug;
                    for (int n = 1; !anchors.add(unique); n++) {
                        unique = slug + "-" + n;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces as '-'. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
