/**
 * Per-caller limits on writes. A dry run answers {@code unchanged} when the value sent is the
 * stored one, so it is the cheapest way to test guesses of a write-only value: dry runs get a
 * tight limit of their own, real writes a looser one (scripts set keys in loops). Routes opt in
 * with {@link io.vaultgate.ratelimit.RateLimited}; a request over its limit answers 429 with
 * {@code Retry-After} before anything else is done, so it is neither applied nor audited.
 */
package io.vaultgate.ratelimit;
