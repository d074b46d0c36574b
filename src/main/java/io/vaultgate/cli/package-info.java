/**
 * The {@code vaultgate} command line: plain picocli over the JDK HTTP client, talking to the
 * HTTP API only (never to MySQL or Vault) and starting no Micronaut context, since platform
 * scripts call it in loops. {@link io.vaultgate.cli.ExitCode} is the one map from errors to exit codes.
 */
package io.vaultgate.cli;
