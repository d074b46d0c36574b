package io.vaultgate.restart;

import io.vaultgate.database.EnumColumn;
import io.vaultgate.web.WireNames;
import jakarta.inject.Singleton;

/**
 * Where one delivery stands: {@code pending} until due, {@code sending} while a dispatcher holds its
 * lease, then {@code delivered}, {@code dead} (every attempt of the retry schedule failed) or
 * {@code cancelled} (its hook was removed or disabled). Stored and shown as its wire name.
 */
enum DeliveryStatus {
    PENDING,
    SENDING,
    DELIVERED,
    DEAD,
    CANCELLED;

    String wireName() {
        return WireNames.of(this);
    }

    @Singleton
    static final class Column extends EnumColumn<DeliveryStatus> {
        Column() {
            super(DeliveryStatus.class);
        }
    }
}
