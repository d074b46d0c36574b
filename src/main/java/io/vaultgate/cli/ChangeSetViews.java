package io.vaultgate.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The tables of change-set drafts: the list, and one draft with its operations, approvals and impact. */
final class ChangeSetViews {

    private ChangeSetViews() {}

    static void list(PrintStream out, Json answer) {
        Table table = new Table("ID", "STATE", "REVISION", "OPERATIONS", "AUTHOR", "UPDATED", "DESCRIPTION");
        answer.path("changeSets")
                .forEach(draft -> table.row(
                        draft.path("id").asText(),
                        draft.path("state").asText(),
                        draft.path("revision").asText(),
                        draft.path("operations").asText(),
                        person(draft.path("author")),
                        Views.time(draft.path("updatedAt")),
                        Views.text(draft.path("description"))));
        table.print(out);
    }

    /** One draft, section after section; a section the answer does not carry is left out. */
    static void draft(PrintStream out, Json draft) {
        new Table("ID", "STATE", "REVISION", "AUTHOR", "DESCRIPTION")
                .row(
                        draft.path("id").asText(),
                        draft.path("state").asText(),
                        draft.path("revision").asText(),
                        person(draft.path("author")),
                        Views.text(draft.path("description")))
                .print(out);
        if (draft.hasNonNull("notBefore")) {
            out.println("Not before: " + Views.time(draft.path("notBefore")));
        }
        operations(out, draft.path("operations"));
        approval(out, draft.path("approval"), draft.path("approvals"));
        impact(out, draft.path("impact"));
        released(out, draft);
        Json failure = draft.path("lastReleaseFailure");
        if (failure.isObject()) {
            out.println();
            out.println("Last release failed at " + Views.time(failure.path("at")) + ": "
                    + failure.path("detail").asText() + " ["
                    + failure.path("code").asText() + "]");
        }
    }

    private static void operations(PrintStream out, Json operations) {
        if (!operations.isArray()) {
            return;
        }
        out.println();
        Table table = new Table("OPERATION", "KEY", "SCOPE", "REVIEWED VERSION");
        operations.forEach(operation -> table.row(
                operation.path("operation").asText(),
                operation.path("key").asText(),
                scope(operation.path("scope")),
                Views.text(operation.path("reviewedVersion"))));
        table.print(out);
    }

    private static void approval(PrintStream out, Json approval, Json approvals) {
        if (approval.isObject()) {
            out.println();
            List<String> rule = new ArrayList<>();
            approval.path("rule").forEach(entry -> rule.add(ruleEntry(entry)));
            out.println("Approvals: " + approval.path("granted").asText("0") + " of "
                    + approval.path("required").asText("0") + " required"
                    + (approval.path("satisfied").asBoolean() ? " (satisfied)" : " (not yet satisfied)")
                    + (rule.isEmpty() ? "" : "; rule: " + String.join(", ", rule)));
        }
        if (approvals.isArray() && !approvals.isEmpty()) {
            Table table = new Table("APPROVED BY", "REVISION", "AT", "COUNTS");
            approvals.forEach(given -> table.row(
                    person(given.path("by")),
                    Views.text(given.path("revision")),
                    Views.time(given.path("at")),
                    given.path("current").asBoolean() ? "yes" : "no: the draft changed since"));
            table.print(out);
        }
    }

    private static void impact(PrintStream out, Json impact) {
        if (!impact.isObject()) {
            return;
        }
        out.println();
        out.println("Impact, computed at " + Views.time(impact.path("computedAt")) + ":");
        Json deployments = impact.path("deployments");
        if (deployments.isEmpty()) {
            out.println("No deployment's value would change.");
        } else {
            Views.restartTable(deployments).print(out);
        }
        Json conflicts = impact.path("conflicts");
        if (conflicts.isArray() && !conflicts.isEmpty()) {
            out.println();
            conflicts(conflicts).print(out);
        }
    }

    /** Keys changed at their scope since they were staged: the release would be refused. */
    static Table conflicts(Json conflicts) {
        Table table = new Table("CONFLICT KEY", "SCOPE", "REVIEWED VERSION", "CURRENT VERSION");
        conflicts.forEach(conflict -> table.row(
                conflict.path("key").asText(),
                scope(conflict.path("scope")),
                Views.text(conflict.path("reviewedVersion")),
                Views.text(conflict.path("currentVersion"))));
        return table;
    }

    private static void released(PrintStream out, Json draft) {
        if (!draft.hasNonNull("changeSetId")) {
            return;
        }
        out.println();
        out.println("Released as change-set " + draft.path("changeSetId").asText() + ".");
        Json restarted = draft.path("restart").path("deployments");
        if (restarted.isArray() && !restarted.isEmpty()) {
            Views.restartTable(restarted).print(out);
        }
    }

    /** An API path as its short label ({@code env:production/svc:api}); anything else as sent. */
    private static String scope(Json scope) {
        String text = scope.asText();
        return text.startsWith("/v1/projects/") ? Views.scopeLabel(text) : text;
    }

    private static String ruleEntry(Json entry) {
        if (!entry.isObject()) {
            return entry.asText();
        }
        String type = entry.path("environmentType").asText("?");
        return type + " needs " + entry.path("approvals").asText("0")
                + (entry.path("authorMayApprove").asBoolean() ? " (author may approve)" : "");
    }

    /** Who opened or approved a draft: the token's display name, else its accessor. */
    private static String person(Json person) {
        return person.hasNonNull("displayName")
                ? person.path("displayName").asText()
                : Views.text(person.path("accessor"));
    }
}
