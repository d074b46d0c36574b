package io.vaultgate.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Tables for the answer shapes several commands share: writes, imports, restarts, scopes, times. */
final class Views {

    private Views() {}

    /** A single-key write (set, rollback, a dry-run delete): one row. */
    static void write(PrintStream out, Json answer) {
        new Table("KEY", "OPERATION", "VERSION", "CHANGE SET")
                .row(
                        answer.path("key").asText(),
                        answer.path("operation").asText(),
                        text(answer.path("version")),
                        text(answer.path("changeSetId")))
                .print(out);
        restarts(out, answer);
    }

    /**
     * An import's answer: one row per key and what happened to it. The lists the gateway leaves
     * out (an older gateway has no unchanged or removed) are simply not shown.
     */
    static void importResult(PrintStream out, Json answer) {
        Table table = new Table("CHANGE", "KEY");
        for (String change : List.of("created", "updated", "unchanged", "removed")) {
            answer.path(change).forEach(key -> table.row(change, key.asText()));
        }
        table.print(out);
        restarts(out, answer);
    }

    /** The deployments a write restarts (or would): after a blank line, when the answer names any. */
    static void restarts(PrintStream out, Json answer) {
        Json restarts = answer.path("restarts");
        if (restarts.isArray() && !restarts.isEmpty()) {
            out.println();
            restartTable(restarts).print(out);
        }
    }

    static Table restartTable(Json restarts) {
        Table table = new Table("RESTART ENVIRONMENT", "SERVICE", "KEYS");
        restarts.forEach(
                r -> table.row(r.path("environment").asText(), r.path("service").asText(), joined(r.path("keys"))));
        return table;
    }

    /** Whether a write was staged into a change-set draft (202) rather than applied. */
    static boolean isStaged(Json answer) {
        return answer.path("staged").asBoolean();
    }

    /** Writes staged into a draft: the operations they added, at their scope; never a value. */
    static void staged(PrintStream out, List<Json> answers) {
        Table table = new Table("KEY", "OPERATION", "SCOPE", "CHANGE-SET DRAFT");
        for (Json answer : answers) {
            String scope = scopeLabel(answer.path("scope").asText());
            answer.path("operations")
                    .forEach(operation -> table.row(
                            operation.path("key").asText(),
                            operation.path("operation").asText(),
                            scope,
                            answer.path("changeSet").asText()));
        }
        table.print(out);
    }

    /** The line for stderr after staging: nothing changed yet, and what comes next. */
    static String stagedSummary(Json answer) {
        return "Staged into change-set " + answer.path("changeSet").asText() + " (revision "
                + answer.path("revision").asText() + "): nothing changes until it is released.";
    }

    /** A summary line for stderr: how many keys of each kind, and whether anything was applied. */
    static String importSummary(Json answer) {
        List<String> counts = new ArrayList<>();
        for (String change : List.of("created", "updated", "unchanged", "removed")) {
            if (answer.path(change).isArray()) {
                counts.add(answer.path(change).size() + " " + change);
            }
        }
        String where = answer.path("scope").asText();
        if (answer.path("dryRun").asBoolean()) {
            return "Dry run at " + where + ": nothing changed (" + String.join(", ", counts) + ").";
        }
        String replayed = answer.path("replayed").asBoolean() ? ", replayed: it had been applied already" : "";
        return "Change-set " + answer.path("changeSetId").asText() + " at " + where + " (" + String.join(", ", counts)
                + replayed + ").";
    }

    /**
     * A scope as a short label: {@code /v1/projects/shop/environments/production/services/api}
     * reads {@code env:production/svc:api}; the project scope reads {@code project}.
     */
    static String scopeLabel(String path) {
        String[] parts = path.split("/");
        // "", "v1", "projects", PROJECT, then (kind, name) pairs
        if (parts.length <= 4) {
            return "project";
        }
        List<String> labels = new ArrayList<>();
        for (int i = 4; i + 1 < parts.length; i += 2) {
            String kind = switch (parts[i]) {
                case "environment-types" -> "type";
                case "environments" -> "env";
                case "services" -> "svc";
                default -> parts[i];
            };
            labels.add(kind + ":" + parts[i + 1]);
        }
        return String.join("/", labels);
    }

    /** An instant to the second ({@code 2026-05-01T10:00:00Z}); the gateway may send fractions. */
    static String time(Json node) {
        if (node.isMissingOrNull()) {
            return "-";
        }
        String text = node.asText();
        int dot = text.indexOf('.');
        return dot < 0 ? text : text.substring(0, dot) + "Z";
    }

    static String text(Json node) {
        return node.isMissingOrNull() ? "-" : node.asText();
    }

    static String joined(Json list) {
        List<String> items = new ArrayList<>();
        list.forEach(item -> items.add(item.asText()));
        return String.join(",", items);
    }
}
