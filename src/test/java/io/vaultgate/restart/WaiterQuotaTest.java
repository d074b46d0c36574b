package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.restart.WaiterQuota.Grant;
import org.junit.jupiter.api.Test;

/** Parked long-polls are bounded per caller and per replica, and every place given back is free again. */
class WaiterQuotaTest {

    @Test
    void aCallerParksUpToItsAllowanceAndThenIsRefused() {
        WaiterQuota quota = new WaiterQuota(2, 10);

        assertThat(quota.take("a")).isEqualTo(Grant.GRANTED);
        assertThat(quota.take("a")).isEqualTo(Grant.GRANTED);
        assertThat(quota.take("a")).isEqualTo(Grant.CALLER_FULL);
        assertThat(quota.take("b")).as("another caller has its own allowance").isEqualTo(Grant.GRANTED);
        assertThat(quota.parked()).isEqualTo(3);
    }

    @Test
    void theReplicaParksUpToItsBoundWhoeverAsks() {
        WaiterQuota quota = new WaiterQuota(2, 3);
        quota.take("a");
        quota.take("b");
        quota.take("c");

        assertThat(quota.take("d")).isEqualTo(Grant.REPLICA_FULL);
        assertThat(quota.take("a"))
                .as("a caller under its own allowance, on a full replica")
                .isEqualTo(Grant.REPLICA_FULL);
    }

    @Test
    void aPlaceGivenBackCanBeTakenAgain() {
        WaiterQuota quota = new WaiterQuota(1, 1);
        quota.take("a");

        quota.giveBack("a");

        assertThat(quota.parked()).isZero();
        assertThat(quota.take("b")).isEqualTo(Grant.GRANTED);
        assertThatThrownBy(() -> quota.giveBack("a")).isInstanceOf(IllegalStateException.class);
    }
}
