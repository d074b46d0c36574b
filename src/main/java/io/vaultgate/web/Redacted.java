package io.vaultgate.web;

import java.sql.SQLException;

/**
 * A failure as it may be logged: the classes down its causes, each SQL failure's SQLState and error
 * code, and the stack, but no message. A database's messages quote statements and values.
 */
final class Redacted extends Exception {

    private Redacted(Throwable failure, Redacted cause) {
        super(label(failure), cause, false, true);
        setStackTrace(failure.getStackTrace());
    }

    /** The failure and its causes, with their stacks and without their messages. */
    static Redacted of(Throwable failure) {
        return new Redacted(failure, failure.getCause() == null ? null : of(failure.getCause()));
    }

    /** One line: the classes down the causes, and the first of the gateway's frames it passed. */
    static String describe(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            line.append(line.isEmpty() ? "" : " < ").append(label(t));
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.vaultgate.")) {
                return line.append(" at ").append(frame).toString();
            }
        }
        return line.toString();
    }

    private static String label(Throwable failure) {
        String name = failure.getClass().getName();
        return failure instanceof SQLException sql
                ? name + " (SQLState " + sql.getSQLState() + ", error " + sql.getErrorCode() + ")"
                : name;
    }
}
