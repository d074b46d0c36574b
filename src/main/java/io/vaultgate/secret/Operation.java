package io.vaultgate.secret;

/** What a change-set does to one key, decided under the scope's lock from the key's state. */
enum Operation {
    CREATE, UPDATE, DELETE,
    /** A set to the value the key already has: no new version, no restart. */
    UNCHANGED
}
