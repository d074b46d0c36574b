package io.vaultgate.testing;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** A gateway whose own clock runs ahead by {@code test.clock-ahead}: a replica on a skewed host. */
@Factory
@Requires(property = "test.clock-ahead")
class ClockAheadFactory {

    @Singleton
    @Replaces(Clock.class)
    Clock clock(@Property(name = "test.clock-ahead") Duration ahead) {
        return Clock.offset(Clock.systemUTC(), ahead);
    }
}
