/**
 * Scopes and their precedence: slugs, environment types, the five scope kinds, where each
 * scope's values live, and {@link io.vaultgate.scope.ScopeChain}, the one home of the precedence rule.
 */
package io.vaultgate.scope;
