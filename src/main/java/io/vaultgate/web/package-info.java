/**
 * Cross-cutting web concerns: the error vocabulary rendered once as problem+json, and request ids.
 * Features throw {@link io.vaultgate.web.ApiException}; nothing else writes an error body.
 */
package io.vaultgate.web;
