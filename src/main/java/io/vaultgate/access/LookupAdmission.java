package io.vaultgate.access;

/**
 * Whether the token authority may be asked about a token the lookup cache does not know: the
 * gateway's defence against floods of garbage tokens, the cheapest flood there is (each distinct
 * one misses every cache, and enough of them overload the authority boot fetches need). Answers
 * already cached are served without asking.
 */
@FunctionalInterface
public interface LookupAdmission {

    /** Every lookup is admitted: for callers that are not a request from outside. */
    LookupAdmission ALWAYS = token -> true;

    /** Whether the authority may be asked about {@code token} now; false refuses the lookup. */
    boolean admit(String token);
}
