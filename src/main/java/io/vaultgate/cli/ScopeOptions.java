package io.vaultgate.cli;

import picocli.CommandLine.Option;

/**
 * {@code -p -e -t -s}: the scope a command acts on. Project alone is the project scope; with
 * {@code -t} an environment type, with {@code -e} an environment, with {@code -s} a service, with
 * {@code -e -s} that service in that environment (a deployment).
 */
final class ScopeOptions {

    @Option(
            names = {"-p", "--project"},
            paramLabel = "PROJECT",
            description = "Project slug.")
    String project;

    @Option(
            names = {"-e", "--environment"},
            paramLabel = "ENV",
            description = "Environment slug (production, pr-42...).")
    String environment;

    @Option(
            names = {"-t", "--environment-type"},
            paramLabel = "TYPE",
            description = "Environment type: production, staging, development, preview, local.")
    String type;

    @Option(
            names = {"-s", "--service"},
            paramLabel = "SERVICE",
            description = "Service slug.")
    String service;

    /** The API path prefix of the scope, e.g. {@code /v1/projects/shop/environments/production}. */
    String path() {
        String project = projectPath();
        if (type != null) {
            if (environment != null || service != null) {
                throw new CliException(
                        ExitCode.USAGE,
                        "-t/--environment-type names a scope of its own: use it with -p only, not with -e or -s.");
            }
            return project + "/environment-types/" + Gateway.segment(type);
        }
        String path = project;
        if (environment != null) {
            path += "/environments/" + Gateway.segment(environment);
        }
        if (service != null) {
            path += "/services/" + Gateway.segment(service);
        }
        return path;
    }

    /** The path of a deployment, which needs all of {@code -p -e -s}. */
    String deploymentPath(String command) {
        if (environment == null || service == null || type != null) {
            throw new CliException(
                    ExitCode.USAGE, command + " is about one deployment: give -p PROJECT -e ENV -s SERVICE.");
        }
        return path();
    }

    String projectPath() {
        if (project == null) {
            throw new CliException(ExitCode.USAGE, "Name the project with -p/--project.");
        }
        return "/v1/projects/" + Gateway.segment(project);
    }
}
