package io.ordinal.command;

/** What the state machine answers for a command: expected outcomes are results, not exceptions. */
public sealed interface CommandResult permits WriteResult, BatchResult, TxnResult, LeaseResult {
}
