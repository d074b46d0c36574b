package io.vaultgate.identity;

import io.vaultgate.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A bounded flood of well-formed tokens no one issued, from one address, eight at a time. */
final class GarbageTokens {

    private GarbageTokens() {}

    /** Sends {@code count} requests, each with its own made-up token; answers their statuses. */
    static List<Integer> flood(ApiClient api, String tag, int count) throws Exception {
        ExecutorService flood = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String garbage = "hvs." + tag + "-garbage" + i + "x".repeat(20);
                sent.add(flood.submit(() ->
                        api.withToken(garbage).get("/v1/projects/acme/secrets").status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : sent) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            flood.shutdownNow();
        }
    }
}
