package io.vaultgate.database;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.callback.Callback;

/**
 * The Flyway callbacks of the default datasource. micronaut-flyway hands Flyway the
 * {@code Callback[]} bean named after the datasource; it reads no {@code callbacks} setting, so a
 * class named there would be ignored without a word and a database 0.1 migrated would not start.
 */
@Factory
class FlywayCallbacks {

    @Singleton
    @Named("default")
    Callback[] defaultDatasource(MigrationLockProperties migrationLock) {
        // The lock first: MigrationHistory rewrites history, which only the lock's holder may do.
        return new Callback[] {new MigrationLock(migrationLock), new MigrationHistory()};
    }
}
