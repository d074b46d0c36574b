package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.scope.Scope;
import io.vaultgate.values.SecretValue;

/** One staged operation of a release: a new value, or a delete when value is null. */
public record StagedChange(
        Scope scope, String key, @Nullable SecretValue value, int expectedVersion) {}
