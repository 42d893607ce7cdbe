package io.ordinal.history;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Checks a saved history from the command line (it lives with the tests, so it runs on the test
 * class path):
 * <pre>
 * ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:$(cat target/cp.txt) io.ordinal.history.CheckHistoryFile run.jsonl [seconds-per-key]
 * </pre>
 * Prints the report; the exit status is 0 for LINEARIZABLE, 1 for NOT_LINEARIZABLE, 2 for UNDECIDED,
 * 3 for a bad argument or file.
 */
public final class CheckHistoryFile {

    private CheckHistoryFile() {
    }

    public static CheckResult check(Path file, Budget budget) {
        return new LinearizabilityChecker(budget).check(HistoryFile.read(file));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CheckHistoryFile <history.jsonl> [seconds-per-key]");
            return 3;
        }
        CheckResult result;
        try {
            Budget budget = args.length == 2 ? Budget.ofTime(Duration.ofSeconds(Long.parseLong(args[1]))) : Budget.DEFAULT;
            result = check(Path.of(args[0]), budget);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            return 3;
        }
        System.out.print(result.report());
        return switch (result.verdict()) {
            case LINEARIZABLE -> 0;
            case NOT_LINEARIZABLE -> 1;
            case UNDECIDED -> 2;
        };
    }
}
