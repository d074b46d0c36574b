package io.vaultgate.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SecretValueStore} must do, run against the local encrypted store
 * ({@code LocalEncryptedValueStoreTest}) and against real Vault ({@code VaultSecretValueStoreIT}).
 * Each test works on its own random entry path.
 */
public abstract class SecretValueStoreContract {

    /** A value no output may ever show. */
    protected static final String CANARY = "canary-" + UUID.randomUUID();

    /** The store under test. */
    protected abstract SecretValueStore store();

    /**
     * How many versions of {@code path} the store keeps (asked before its first write): the KV
     * mount's {@code max_versions} for Vault, the configured limit for the local store.
     */
    protected abstract int versionsKept(EntryPath path);

    protected EntryPath newEntryPath() {
        return new EntryPath("contract-" + UUID.randomUUID().toString().substring(0, 8) + "/env/production/svc/api");
    }

    protected static Map<String, SecretValue> values(String... keysAndValues) {
        Map<String, SecretValue> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], new SecretValue(keysAndValues[i + 1]));
        }
        return values;
    }

    protected static Map<String, String> plain(VersionedEntry entry) {
        Map<String, String> plain = new LinkedHashMap<>();
        entry.values().forEach((k, v) -> plain.put(k, v.plaintext()));
        return plain;
    }

    @Test
    void anEntryNeverWrittenIsAbsentAtVersionZero() {
        EntryPath path = newEntryPath();

        assertThat(store().read(path)).isEmpty();
        assertThat(store().read(path, 1)).isEmpty();
        assertThat(store().currentVersion(path)).isZero();
        assertThat(store().oldestKeptVersion(path)).isZero();
    }

    @Test
    void firstWriteWithCasZeroCreatesTheEntry() {
        EntryPath path = newEntryPath();

        int version = store().write(path, values("DATABASE_URL", "postgres://db", "API_KEY", "k1"), "cs-1", 0);

        assertThat(version).isEqualTo(1);
        assertThat(store().currentVersion(path)).isEqualTo(1);
        VersionedEntry entry = store().read(path).orElseThrow();
        assertThat(entry.version()).isEqualTo(1);
        assertThat(plain(entry)).containsOnly(Map.entry("DATABASE_URL", "postgres://db"), Map.entry("API_KEY", "k1"));
        assertThat(entry.changeSetId()).isEqualTo("cs-1");
    }

    @Test
    void secondCreateWithCasZeroIsRefused() {
        EntryPath path = newEntryPath();
        store().write(path, values("A", "first"), "cs-1", 0);

        assertThatThrownBy(() -> store().write(path, values("B", "second"), "cs-2", 0))
                .isInstanceOf(CasMismatchException.class)
                .hasMessageContaining(path.path())
                .hasMessageContaining("version 0");

        VersionedEntry entry = store().read(path).orElseThrow();
        assertThat(entry.version()).isEqualTo(1);
        assertThat(plain(entry)).containsOnly(Map.entry("A", "first"));
    }

    @Test
    void writeWithCurrentVersionAddsTheNextVersion() {
        EntryPath path = newEntryPath();
        store().write(path, values("A", "1"), "cs-1", 0);

        int version = store().write(path, values("A", "1", "B", "2"), "cs-2", 1);

        assertThat(version).isEqualTo(2);
        assertThat(store().currentVersion(path)).isEqualTo(2);
        assertThat(plain(store().read(path).orElseThrow())).containsOnly(Map.entry("A", "1"), Map.entry("B", "2"));
    }

    @Test
    void aWriteTellsTheVersionItLandsAsBeforeItLands() {
        EntryPath path = newEntryPath();
        store().write(path, values("A", "1"), "cs-1", 0);
        List<Integer> told = new ArrayList<>();
        List<Integer> currentWhenTold = new ArrayList<>();

        int version = store().write(path, values("A", "2"), "cs-2", 1, landsAs -> {
            told.add(landsAs);
            currentWhenTold.add(store().currentVersion(path));
        });

        assertThat(told).containsExactly(version);
        assertThat(currentWhenTold).containsExactly(1);
    }

    @Test
    void writeWithStaleCasIsRefusedAndKeepsTheOtherWritersKeys() {
        EntryPath path = newEntryPath();
        store().write(path, values("SHARED", "s"), "cs-1", 0);
        int seenByBoth = store().currentVersion(path);

        // Writer one adds its key first.
        store().write(path, values("SHARED", "s", "ONE", "1"), "cs-one", seenByBoth);

        // Writer two, still at the version it read, would drop ONE: refused.
        assertThatThrownBy(() -> store().write(path, values("SHARED", "s", "TWO", "2"), "cs-two", seenByBoth))
                .isInstanceOf(CasMismatchException.class);

        VersionedEntry latest = store().read(path).orElseThrow();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(plain(latest)).containsOnly(Map.entry("SHARED", "s"), Map.entry("ONE", "1"));
        assertThat(latest.changeSetId()).isEqualTo("cs-one");
    }

    @Test
    void casAheadOfTheCurrentVersionIsRefused() {
        EntryPath path = newEntryPath();
        store().write(path, values("A", "1"), "cs-1", 0);

        assertThatThrownBy(() -> store().write(path, values("A", "2"), "cs-2", 5))
                .isInstanceOf(CasMismatchException.class);
        assertThat(store().currentVersion(path)).isEqualTo(1);
    }

    @Test
    void casOnAnEntryNeverWrittenIsRefused() {
        EntryPath path = newEntryPath();

        assertThatThrownBy(() -> store().write(path, values("A", "1"), "cs-1", 1))
                .isInstanceOf(CasMismatchException.class);
        assertThat(store().read(path)).isEmpty();
    }

    @Test
    void concurrentWritersNeverLoseEachOthersKeys() throws Exception {
        EntryPath path = newEntryPath();
        store().write(path, Map.of(), "cs-0", 0);
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String key = "KEY_" + w;
                Callable<Integer> writer = () -> {
                    start.await();
                    int lost = 0;
                    while (true) {
                        VersionedEntry current = store().read(path).orElseThrow();
                        Map<String, SecretValue> next = new LinkedHashMap<>(current.values());
                        next.put(key, new SecretValue("v-" + key));
                        try {
                            store().write(path, next, "cs-" + key, current.version());
                            return lost;
                        } catch (CasMismatchException e) {
                            lost++;
                        }
                    }
                };
                conflicts.add(pool.submit(writer));
            }
            start.countDown();
            for (Future<Integer> f : conflicts) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        VersionedEntry latest = store().read(path).orElseThrow();
        assertThat(latest.values()).hasSize(writers);
        assertThat(latest.version()).isEqualTo(writers + 1);
    }

    @Test
    void oldVersionsStayReadable() {
        EntryPath path = newEntryPath();
        store().write(path, values("A", "one"), "cs-1", 0);
        store().write(path, values("A", "two", "B", "b"), "cs-2", 1);
        store().write(path, values("B", "b"), "cs-3", 2);

        VersionedEntry first = store().read(path, 1).orElseThrow();
        VersionedEntry second = store().read(path, 2).orElseThrow();
        VersionedEntry third = store().read(path, 3).orElseThrow();

        assertThat(first.version()).isEqualTo(1);
        assertThat(plain(first)).containsOnly(Map.entry("A", "one"));
        assertThat(first.changeSetId()).isEqualTo("cs-1");
        assertThat(plain(second)).containsOnly(Map.entry("A", "two"), Map.entry("B", "b"));
        assertThat(second.changeSetId()).isEqualTo("cs-2");
        assertThat(plain(third)).containsOnly(Map.entry("B", "b"));
        assertThat(store().read(path).orElseThrow()).isEqualTo(third);
        assertThat(store().oldestKeptVersion(path)).isEqualTo(1);
    }

    @Test
    void aVersionThatNeverExistedIsAbsent() {
        EntryPath path = newEntryPath();
        store().write(path, values("A", "1"), "cs-1", 0);

        assertThat(store().read(path, 2)).isEmpty();
        assertThat(store().read(path, 99)).isEmpty();
        // Vault reads version=0 as "latest"; for the port there is no version 0.
        assertThat(store().read(path, 0)).isEmpty();
        assertThat(store().read(path, -1)).isEmpty();
    }

    @Test
    void versionBeyondMaxVersionsIsNoLongerKept() {
        EntryPath path = newEntryPath();
        int kept = versionsKept(path);
        int written = kept + 2;
        for (int v = 1; v <= written; v++) {
            store().write(path, values("COUNTER", String.valueOf(v)), "cs-" + v, v - 1);
        }

        assertThat(store().currentVersion(path)).isEqualTo(written);
        assertThat(store().oldestKeptVersion(path)).isEqualTo(written - kept + 1);
        assertThat(store().read(path, 1)).isEmpty();
        assertThat(store().read(path, 2)).isEmpty();
        int oldestKept = written - kept + 1;
        assertThat(store().read(path, oldestKept))
                .get()
                .satisfies(e -> assertThat(plain(e)).containsOnly(Map.entry("COUNTER", String.valueOf(oldestKept))));
        assertThat(store().read(path).orElseThrow().version()).isEqualTo(written);
    }

    @Test
    void anEntryWithNoKeysLeftIsAVersionToo() {
        EntryPath path = newEntryPath();
        store().write(path, values("ONLY", "x"), "cs-1", 0);

        int version = store().write(path, Map.of(), "cs-delete", 1);

        assertThat(version).isEqualTo(2);
        VersionedEntry entry = store().read(path).orElseThrow();
        assertThat(entry.values()).isEmpty();
        assertThat(entry.changeSetId()).isEqualTo("cs-delete");
        assertThat(plain(store().read(path, 1).orElseThrow())).containsOnly(Map.entry("ONLY", "x"));
    }

    @Test
    void changeSetIdRoundTripsAndIsNotAKey() {
        EntryPath path = newEntryPath();
        String changeSetId = "01J9ZC3W8Q5N6R7T8V9X0Y1Z2A";

        store().write(path, values("A", "1"), changeSetId, 0);

        VersionedEntry entry = store().read(path).orElseThrow();
        assertThat(entry.changeSetId()).isEqualTo(changeSetId);
        assertThat(entry.values()).containsOnlyKeys("A");
        assertThat(store().read(path, 1).orElseThrow().values()).containsOnlyKeys("A");
    }

    @Test
    void theReservedChangeSetFieldCannotBeWrittenAsAKey() {
        EntryPath path = newEntryPath();

        assertThatThrownBy(() -> store().write(path, values(EntryFields.CHANGE_SET, "forged"), "cs-1", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store().read(path)).isEmpty();
    }

    @Test
    void valuesWithUnicodeNewlinesAndQuotesRoundTrip() {
        EntryPath path = newEntryPath();
        Map<String, String> tricky = new LinkedHashMap<>();
        tricky.put("UNICODE", "päßwörd – 密码 – 🔐 – \u00a0nbsp");
        tricky.put("NEWLINES", "line1\nline2\r\nline3\n");
        tricky.put("QUOTES", "it's \"quoted\" `back` \\ back\\slash $HOME ${VAR} $(whoami)");
        tricky.put("PEM", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        tricky.put("JSON_LIKE", "{\"data\":{\"a\":1},\"options\":{\"cas\":0}}");
        tricky.put("EMPTY", "");
        tricky.put("SPACES", "  leading and trailing  ");
        tricky.put("TABS_AND_CONTROL", "a\tb\u0001c");
        tricky.put("LARGE", "x".repeat(64 * 1024));
        Map<String, SecretValue> values = new LinkedHashMap<>();
        tricky.forEach((k, v) -> values.put(k, new SecretValue(v)));

        store().write(path, values, "cs-1", 0);

        assertThat(plain(store().read(path).orElseThrow())).isEqualTo(tricky);
        assertThat(plain(store().read(path, 1).orElseThrow())).isEqualTo(tricky);
    }

    @Test
    void toStringOfAValueNeverShowsIt() {
        EntryPath path = newEntryPath();
        store().write(path, values("PASSWORD", CANARY), "cs-1", 0);
        VersionedEntry entry = store().read(path).orElseThrow();

        assertThat(entry.values().get("PASSWORD").plaintext()).isEqualTo(CANARY);
        assertThat(entry.values().get("PASSWORD").toString()).doesNotContain(CANARY);
        assertThat(entry.toString()).doesNotContain(CANARY).contains("PASSWORD");
        assertThat(String.valueOf(store().read(path, 1))).doesNotContain(CANARY);
    }

    @Test
    void errorsNeverShowAValue() {
        EntryPath path = newEntryPath();
        store().write(path, values("PASSWORD", CANARY), "cs-1", 0);

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> store().write(path, values("PASSWORD", CANARY + "-2"), "cs-2", 0));

        assertThat(refused).isInstanceOf(CasMismatchException.class);
        for (Throwable t = refused; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(CANARY);
            assertThat(t.toString()).doesNotContain(CANARY);
        }
    }

    @Test
    void healthIsUpWhenTheStoreCanServe() {
        StoreHealth health = store().health();

        assertThat(health.up()).as(health.detail()).isTrue();
        assertThat(health.detail()).isNotBlank();
    }

    @Test
    void entriesAreIndependent() {
        EntryPath one = newEntryPath();
        EntryPath two = newEntryPath();
        store().write(one, values("A", "one"), "cs-1", 0);
        store().write(two, values("A", "two"), "cs-2", 0);

        assertThat(plain(store().read(one).orElseThrow())).containsOnly(Map.entry("A", "one"));
        assertThat(plain(store().read(two).orElseThrow())).containsOnly(Map.entry("A", "two"));
        assertThat(Optional.of(store().currentVersion(two))).contains(1);
    }
}
