/**
 * Scopes and their precedence: slugs, key names, environment types, the five scope kinds, and
 * {@link io.vaultgate.scope.ScopeChain}, the one home of the precedence rule. Pure rules; it uses
 * nothing of the gateway's but the error vocabulary of {@code web}.
 */
package io.vaultgate.scope;
