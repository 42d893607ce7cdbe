package io.ordinal.fault;

import io.ordinal.history.History;
import io.ordinal.history.HistoryFile;
import io.ordinal.history.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the operations of one step of a run, from every client thread: each as the checker's
 * {@link Operation}, plus what the report needs besides (the HTTP status, why there was none, which
 * frontend answered). Every operation is also appended at once to the run's JSON Lines history.
 */
final class Recorder {

    /** What a request was, in the words of the report. */
    enum Kind {
        READ, PUT, CAS, CREATE, DELETE, DELETE_IF_MATCH;

        boolean isWrite() {
            return this != READ;
        }
    }

    /**
     * @param status  the HTTP status, 0 when there was no answer
     * @param failure why there was no answer
     */
    record Entry(Operation op, Kind kind, int status, ApiClient.Failure failure, String error, int frontend) {
    }

    private final HistoryFile.Appender appender;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();

    /** @param appender the run's history file, or null */
    Recorder(HistoryFile.Appender appender) {
        this.appender = appender;
    }

    synchronized void record(Entry entry) {
        entries.add(entry);
        if (appender != null) {
            appender.append(entry.op());
        }
    }

    /** An answer the API never gives to that request: the run fails, whatever the checker says. */
    synchronized void unexpected(String what) {
        unexpected.add(what);
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    synchronized List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    /** The history of this step, in the order operations completed. */
    synchronized History history() {
        return History.of(entries.stream().map(Entry::op).toList());
    }
}
