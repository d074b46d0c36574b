package io.vaultgate.restart;

import java.util.HashMap;
import java.util.Map;

/**
 * How many long-polls may be parked at once: so many per caller (by token accessor), so many on
 * the replica. A place is taken before a waiter parks and given back when it is answered, however
 * that happens (an event, its timeout, a closed connection).
 */
final class WaiterQuota {

    /** Whether a caller may park one more waiter. */
    enum Grant {
        GRANTED,
        CALLER_FULL,
        REPLICA_FULL
    }

    private final int perCaller;
    private final int perReplica;
    private final Map<String, Integer> byCaller = new HashMap<>();
    private int parked;

    WaiterQuota(int perCaller, int perReplica) {
        this.perCaller = perCaller;
        this.perReplica = perReplica;
    }

    synchronized Grant take(String caller) {
        if (byCaller.getOrDefault(caller, 0) >= perCaller) {
            return Grant.CALLER_FULL;
        }
        if (parked >= perReplica) {
            return Grant.REPLICA_FULL;
        }
        byCaller.merge(caller, 1, Integer::sum);
        parked++;
        return Grant.GRANTED;
    }

    synchronized void giveBack(String caller) {
        Integer held = byCaller.get(caller);
        if (held == null) {
            throw new IllegalStateException("a place given back that was never taken");
        }
        if (held == 1) {
            byCaller.remove(caller);
        } else {
            byCaller.put(caller, held - 1);
        }
        parked--;
    }

    synchronized int parked() {
        return parked;
    }
}
