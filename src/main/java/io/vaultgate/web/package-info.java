/**
 * Cross-cutting web concerns: the error vocabulary rendered once as problem+json, request ids, and
 * the request-body limit of each route (refused before the body is read).
 * Features throw {@link io.vaultgate.web.ApiException}; nothing else writes an error body.
 */
package io.vaultgate.web;
