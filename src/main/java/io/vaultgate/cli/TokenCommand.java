package io.vaultgate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code token create|revoke}: workload tokens of a deployment, and operator tokens of a project. */
@Command(
        name = "token",
        description = "Mint and revoke tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  vaultgate token create -p shop -e production -s api --ttl 15m",
            "  vaultgate token revoke 3xY7kq1WJm2o"
        })
final class TokenCommand {

    @Command(
            name = "create",
            sortOptions = false,
            description = {
                "Mint a token. With -p -e -s: a workload token bound to that deployment, which reads its "
                        + "environment (vaultgate run). With -p --role: an operator token for the project (admins only).",
                "The token is printed once; the gateway keeps only its accessor."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  vaultgate token create -p shop -e production -s api --ttl 15m",
                "  export VAULTGATE_TOKEN=$(vaultgate token create -p shop -e production -s api -o json | jq -r .token)",
                "  vaultgate token create -p shop --role deployer --ttl 1h",
                "  vaultgate token create -p shop --role project-admin --name alice"
            })
    static final class Create extends GatewayCommand {

        @Mixin
        ScopeOptions scope;

        @Option(
                names = "--role",
                paramLabel = "ROLE",
                description = "Mint an operator token: deployer or project-admin.")
        String role;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "Operator tokens: who it is for, part of its display name (change-set approvals "
                        + "tell people apart by it).")
        String name;

        @Option(
                names = "--ttl",
                paramLabel = "DURATION",
                description = "Lifetime: seconds, or 90s, 15m, 1h (default and maximum: the gateway's).")
        String ttl;

        @Option(names = "--uses", paramLabel = "N", description = "Workload tokens: how many uses (0: no limit).")
        Integer uses;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            String path;
            if (role != null) {
                if (scope.environment != null || scope.service != null || scope.type != null || uses != null) {
                    throw new CliException(ExitCode.USAGE, "An operator token (--role) takes -p only, and no --uses.");
                }
                path = scope.projectPath() + "/operator-tokens";
                body.put("role", role);
                if (name != null) {
                    body.put("name", name);
                }
            } else {
                if (name != null) {
                    throw new CliException(ExitCode.USAGE, "--name goes with an operator token (--role).");
                }
                path = scope.deploymentPath("A workload token") + "/tokens";
            }
            if (ttl != null) {
                body.put("ttlSeconds", seconds(ttl));
            }
            if (uses != null) {
                body.put("numUses", uses);
            }
            Json answer = gateway()
                    .write("POST", path, "application/json", Json.write(body))
                    .json();
            if (json()) {
                printJson(answer);
            } else {
                new Table("TOKEN", "ACCESSOR", "EXPIRES")
                        .row(
                                answer.path("token").asText(),
                                answer.path("accessor").asText(),
                                Views.time(answer.path("expiresAt")))
                        .print(io().out());
            }
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "revoke",
            sortOptions = false,
            description = {"Revoke one token by its accessor, or with --all every workload token of a deployment."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  vaultgate token revoke 3xY7kq1WJm2o",
                "  vaultgate token revoke --all -p shop -e production -s api"
            })
    static final class Revoke extends GatewayCommand {

        @Mixin
        ScopeOptions scope;

        @Parameters(paramLabel = "ACCESSOR", arity = "0..1", description = "The token's accessor (never the token).")
        String accessor;

        @Option(names = "--all", description = "Revoke every workload token of the deployment -p -e -s.")
        boolean all;

        @Override
        public Integer call() {
            if (all == (accessor != null)) {
                throw new CliException(ExitCode.USAGE, "Give an ACCESSOR, or --all with -p -e -s.");
            }
            if (accessor != null) {
                gateway().write("DELETE", "/v1/tokens/" + Gateway.segment(accessor), null, null);
                if (json()) {
                    print(Json.write(Map.of("accessor", accessor, "revoked", true)));
                } else {
                    new Table("ACCESSOR", "STATE").row(accessor, "revoked").print(io().out());
                }
                return ExitCode.OK.code();
            }
            Json answer = gateway()
                    .write("DELETE", scope.deploymentPath("token revoke --all") + "/tokens", null, null)
                    .json();
            if (json()) {
                printJson(answer);
            } else {
                Table table = new Table("ACCESSOR", "STATE");
                answer.path("accessors").forEach(revoked -> table.row(revoked.asText(), "revoked"));
                table.print(io().out());
                say(answer.path("revoked").asInt() + " tokens revoked.");
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code 900}, {@code 900s}, {@code 15m}, {@code 1h} or {@code 1d} in seconds. */
    static long seconds(String duration) {
        return Durations.seconds(duration, "--ttl");
    }
}
