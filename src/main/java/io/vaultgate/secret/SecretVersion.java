package io.vaultgate.secret;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One step in a key's history: which change-set made it, and which KV entry version holds it. */
@MappedEntity("secret_version")
record SecretVersion(
        @Id @GeneratedValue @Nullable Long id,
        Long secretId,
        int version,
        int vaultVersion,
        boolean deleted,
        String changeSetId,
        String actor,
        Instant createdAt) {}
