package io.vaultgate.web;

/**
 * What a write does about restarts ({@code ?restart=}): emit restart events for the deployments
 * whose values changed (the default), or none. Change-sets and the audit keep it as its
 * {@link #wireName()}, the word the query takes.
 */
public enum RestartMode {
    EVENTS,
    NONE;

    public String wireName() {
        return WireNames.of(this);
    }
}
