package io.vaultgate.scope;

import java.util.Locale;

/** The five places a secret can be defined, in precedence order: a later kind wins. */
public enum ScopeKind {
    PROJECT, ENVIRONMENT_TYPE, ENVIRONMENT, SERVICE, SERVICE_IN_ENVIRONMENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
