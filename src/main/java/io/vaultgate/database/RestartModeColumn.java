package io.vaultgate.database;

import io.vaultgate.web.RestartMode;
import jakarta.inject.Singleton;

/** {@link RestartMode} as {@code events} or {@code none}, in change-sets and the audit log. */
@Singleton
public final class RestartModeColumn extends EnumColumn<RestartMode> {

    RestartModeColumn() {
        super(RestartMode.class);
    }
}
