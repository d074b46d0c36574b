package io.vaultgate.scope;

import io.vaultgate.web.WireNames;

/** The five places a secret can be defined, in precedence order: a later kind wins. */
public enum ScopeKind {
    PROJECT,
    ENVIRONMENT_TYPE,
    ENVIRONMENT,
    SERVICE,
    SERVICE_IN_ENVIRONMENT;

    public String wireName() {
        return WireNames.of(this);
    }
}
