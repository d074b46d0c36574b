package io.vaultgate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code change-set}: change-set drafts, the reviewed way to change secrets. Operations are staged
 * through the ordinary write routes with {@code ?changeSet=ID}, so {@code add} validates exactly
 * as {@code set}, {@code delete} and {@code import} do; nothing reaches a deployment until
 * {@code release}.
 */
@Command(
        name = "change-set",
        description = {
            "Change-set drafts: stage sets, deletes and imports at any scopes, have them approved, "
                    + "release them as one change-set.",
            "Nothing changes until the release; values are never shown."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  ID=$(vaultgate change-set create -p shop -m 'Rotate the database password')",
            "  printf '%%s' \"$NEW_PASSWORD\" | vaultgate change-set add -p shop -e production $ID DB_PASSWORD=-",
            "  vaultgate change-set show -p shop $ID",
            "  vaultgate change-set approve -p shop $ID       # another project admin",
            "  vaultgate change-set release -p shop $ID --not-before 2026-12-08T02:00:00Z"
        },
        subcommands = {
            ChangeSetCommand.Create.class,
            ChangeSetCommand.ListDrafts.class,
            ChangeSetCommand.Show.class,
            ChangeSetCommand.Add.class,
            ChangeSetCommand.Approve.class,
            ChangeSetCommand.Reject.class,
            ChangeSetCommand.Release.class,
            ChangeSetCommand.Discard.class
        })
final class ChangeSetCommand {

    static String draftsPath(String projectPath) {
        return projectPath + "/change-sets";
    }

    /** A command on drafts of one project. */
    abstract static class ProjectCommand extends GatewayCommand {

        @Option(
                names = {"-p", "--project"},
                required = true,
                paramLabel = "PROJECT",
                description = "Project slug.")
        String project;

        String draftsPath() {
            return ChangeSetCommand.draftsPath("/v1/projects/" + Gateway.segment(project));
        }
    }

    /** A command on one draft, named by its id. */
    abstract static class DraftCommand extends ProjectCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The change-set draft's id.")
        String id;

        String draftPath() {
            return draftsPath() + "/" + Gateway.segment(id);
        }

        /**
         * POSTs {@code action} with a JSON {@code body} to the draft and prints the draft it answers.
         * Always a body ({@code {}} when the action takes none): the gateway refuses a POST without a
         * content type.
         */
        int act(String action, String body) {
            Gateway.Answer answer = gateway().write("POST", draftPath() + "/" + action, "application/json", body);
            printDraft(answer);
            return ExitCode.OK.code();
        }

        void printDraft(Gateway.Answer answer) {
            Json draft = answer.json();
            if (json()) {
                printJson(draft);
            } else {
                ChangeSetViews.draft(io().out(), draft);
            }
        }
    }

    @Command(
            name = "create",
            sortOptions = false,
            description = {"Open a change-set draft in a project; prints its id (-o json: the draft)."},
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate change-set create -p shop -m 'Rotate the payment keys'"})
    static final class Create extends ProjectCommand {

        @Option(
                names = {"-m", "--description"},
                required = true,
                paramLabel = "TEXT",
                description = "What the change is for, as reviewers will read it.")
        String description;

        @Override
        public Integer call() {
            Json answer = gateway()
                    .write("POST", draftsPath(), "application/json", Json.write(Map.of("description", description)))
                    .json();
            if (json()) {
                printJson(answer);
            } else {
                print(answer.path("id").asText());
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "list",
            sortOptions = false,
            description = {"List a project's change-set drafts: by default the open ones (draft, scheduled, releasing)."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  vaultgate change-set list -p shop", "  vaultgate change-set list -p shop --state released"})
    static final class ListDrafts extends ProjectCommand {

        @Option(
                names = "--state",
                paramLabel = "STATE",
                description = "Only drafts in STATE: draft, scheduled, releasing, released, rejected, discarded.")
        String state;

        @Override
        public Integer call() {
            Json answer = gateway()
                    .get(draftsPath() + (state == null ? "" : "?state=" + Gateway.segment(state)))
                    .json();
            if (json()) {
                printJson(answer);
            } else {
                ChangeSetViews.list(io().out(), answer);
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "show",
            description = {
                "Show a draft: its operations (scope, key, set or delete; never a value), approvals and the rule it "
                        + "needs, its impact (the deployments whose values would change, computed now) and conflicts."
            },
            footerHeading = "%nExample:%n",
            footer = {
                "  vaultgate change-set show -p shop cs_8f2a",
                "  vaultgate change-set show -p shop cs_8f2a -o json"
            })
    static final class Show extends DraftCommand {

        @Override
        public Integer call() {
            printDraft(gateway().get(draftPath()));
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "add",
            sortOptions = false,
            description = {
                "Stage operations into a draft at a scope: KEY=VALUE pairs (or -k KEY with -v VALUE or --from-file "
                        + "FILE), a .env file (-f), or keys to delete (--delete).",
                "A VALUE of - reads standard input. Validated as set, import and delete validate; "
                        + "a later operation on the same key at the same scope replaces the earlier one."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  vaultgate change-set add -p shop cs_8f2a LOG_LEVEL=warn",
                "  printf '%%s' \"$TOKEN\" | vaultgate change-set add -p shop -s api cs_8f2a API_TOKEN=-",
                "  vaultgate change-set add -p shop -e production cs_8f2a -f .env.production",
                "  vaultgate change-set add -p shop -e staging cs_8f2a --delete OLD_FLAG --delete LEGACY_URL"
            })
    static final class Add extends GatewayCommand {

        @Mixin
        ScopeOptions scope;

        @Parameters(index = "0", paramLabel = "ID", description = "The change-set draft's id.")
        String id;

        @Parameters(
                index = "1..*",
                paramLabel = "KEY=VALUE",
                arity = "0..*",
                description = "A key and its value; VALUE - reads standard input.")
        List<String> pairs = List.of();

        @Mixin
        SingleValueOptions input;

        @Option(
                names = {"-f", "--file"},
                paramLabel = "FILE",
                description = "A .env file to stage as an import (- for standard input).")
        String file;

        @Option(names = "--delete", paramLabel = "KEY", description = "Stage the delete of KEY (repeat for several).")
        List<String> deletes = List.of();

        @Option(names = "--force", description = "With --delete: even if a service requires the key and would miss it.")
        boolean force;

        @Override
        public Integer call() {
            String path = scope.path();
            int inputs = (input.given(pairs) ? 1 : 0) + (file == null ? 0 : 1) + (deletes.isEmpty() ? 0 : 1);
            if (inputs != 1) {
                throw new CliException(
                        ExitCode.USAGE, "Give one of: KEY=VALUE..., -k KEY -v VALUE, -f FILE, --delete KEY.");
            }
            if (force && deletes.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "--force goes with --delete.");
            }
            String draft = "changeSet=" + Gateway.segment(id);
            List<Json> answers = new ArrayList<>();
            if (!deletes.isEmpty()) {
                String query = "?" + draft + (force ? "&force=true" : "");
                for (String key : deletes) {
                    answers.add(gateway()
                            .write("DELETE", path + "/secrets/" + Gateway.segment(key) + query, null, null)
                            .json());
                }
            } else if (file != null) {
                answers.add(gateway()
                        .write("POST", path + "/import?" + draft, "text/plain; charset=utf-8", readText(file, "--file"))
                        .json());
            } else {
                Map<String, String> values = input.values(this, pairs);
                if (values.size() == 1) {
                    Map.Entry<String, String> only =
                            values.entrySet().iterator().next();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("value", only.getValue());
                    answers.add(gateway()
                            .write(
                                    "PUT",
                                    path + "/secrets/" + Gateway.segment(only.getKey()) + "?" + draft,
                                    "application/json",
                                    Json.write(body))
                            .json());
                } else {
                    answers.add(gateway()
                            .write("POST", path + "/import?" + draft, "application/json", Json.write(values))
                            .json());
                }
            }
            if (json()) {
                print(Json.write(answers.size() == 1 ? answers.get(0) : answers));
            } else {
                Views.staged(io().out(), answers);
                say(Views.stagedSummary(answers.get(answers.size() - 1)));
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "approve",
            description = {
                "Approve a draft at its current revision (a project admin who is not its author). "
                        + "Staging anything afterwards voids the approval."
            },
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate change-set approve -p shop cs_8f2a"})
    static final class Approve extends DraftCommand {

        @Override
        public Integer call() {
            return act("approve", "{}");
        }
    }

    @Command(
            name = "reject",
            description = {"Reject a draft: it is closed and can no longer be released."},
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate change-set reject -p shop cs_8f2a"})
    static final class Reject extends DraftCommand {

        @Override
        public Integer call() {
            return act("reject", "{}");
        }
    }

    @Command(
            name = "release",
            sortOptions = false,
            description = {
                "Release a draft: every operation applied as one change-set, all or nothing, with one restart "
                        + "event per affected deployment.",
                "Refused (exit 4) without the approvals its rule needs, or when a staged key changed since it was "
                        + "staged. --not-before schedules it instead."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  vaultgate change-set release -p shop cs_8f2a",
                "  vaultgate change-set release -p shop cs_8f2a --not-before 2026-12-08T02:00:00Z"
            })
    static final class Release extends DraftCommand {

        @Option(
                names = "--not-before",
                paramLabel = "RFC3339",
                description = "Release it at this time or later (2026-12-08T02:00:00Z); in the past: now.")
        String notBefore;

        @Override
        public Integer call() {
            return act("release", notBefore == null ? "{}" : Json.write(Map.of("notBefore", notBefore)));
        }
    }

    @Command(
            name = "discard",
            description = {"Discard a draft and its staged values (also a scheduled one)."},
            footerHeading = "%nExample:%n",
            footer = {"  vaultgate change-set discard -p shop cs_8f2a"})
    static final class Discard extends DraftCommand {

        @Override
        public Integer call() {
            Gateway.Answer answer = gateway().write("DELETE", draftPath(), null, null);
            if (answer.body() != null && !answer.body().isBlank()) {
                printDraft(answer);
            } else if (json()) {
                print(Json.write(Map.of("id", id, "state", "discarded")));
            } else {
                new Table("ID", "STATE").row(id, "discarded").print(io().out());
            }
            return ExitCode.OK.code();
        }
    }
}
