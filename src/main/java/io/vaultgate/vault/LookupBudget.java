package io.vaultgate.vault;

/**
 * How many more tokens the token authority may be asked about for one source (a caller's
 * address) that turned out unknown. Garbage tokens are the cheapest flood there is: each distinct
 * one misses every cache, and enough of them overload the authority that boot fetches need.
 * Answers already cached cost nothing and are served whatever the budget.
 */
public interface LookupBudget {

    /** A budget that never runs out: for callers that are not a request from outside. */
    LookupBudget UNLIMITED = new LookupBudget() {
        @Override
        public boolean exhausted() {
            return false;
        }

        @Override
        public void spend() {
        }
    };

    /** Whether the source may not ask about another token now. */
    boolean exhausted();

    /** Records that the source asked about a token that is unknown. */
    void spend();
}
