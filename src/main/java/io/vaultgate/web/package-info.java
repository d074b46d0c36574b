/**
 * Cross-cutting web concerns: the error vocabulary rendered once as problem+json, request ids, the
 * request-body limit of each route (refused before the body is read), the strict rules JSON bodies
 * are bound by and the wording of a body that breaks them, the write query flags
 * ({@code dryRun}, {@code force}, {@code restart}) read by one rule, and the API contract served at
 * {@code /openapi.yml}. Features throw {@link io.vaultgate.web.ApiException}; nothing else writes an
 * error body.
 */
package io.vaultgate.web;
