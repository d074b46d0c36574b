package io.vaultgate.bench;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the statements this JVM's connections send (Connector/J's {@code queryInterceptors} URL
 * property), commits included: unlike the server's {@code SHOW GLOBAL STATUS}, which every client
 * of the shared MariaDB moves, it counts only the gateway's. While {@link #shapes} is on it also
 * counts them by shape ({@link StatementRecorder#shape}), which costs a few regular expressions a
 * statement, so only outside the measured rounds.
 */
public final class StatementCounter implements QueryInterceptor {

    private static final LongAdder SENT = new LongAdder();
    private static final Map<String, LongAdder> BY_SHAPE = new ConcurrentHashMap<>();
    private static volatile boolean shaping;

    static long sent() {
        return SENT.sum();
    }

    /** Counts by shape from now until {@link #shapes()}. */
    static void startShapes() {
        BY_SHAPE.clear();
        shaping = true;
    }

    /** Stops counting by shape; answers the counts, by shape. */
    static Map<String, Long> shapes() {
        shaping = false;
        Map<String, Long> counted = new TreeMap<>();
        BY_SHAPE.forEach((shape, n) -> counted.put(shape, n.sum()));
        return counted;
    }

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        SENT.increment();
        if (shaping) {
            String text = sql.get();
            String shape = text == null ? "(no text)" : StatementRecorder.shape(text);
            BY_SHAPE.computeIfAbsent(shape.length() > 150 ? shape.substring(0, 150) + "…" : shape, s -> new LongAdder())
                    .increment();
        }
        return null;
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true;
    }

    @Override
    public void destroy() {}

    @Override
    public <T extends Resultset> T postProcess(
            Supplier<String> sql, Query query, T originalResultSet, ServerSession serverSession) {
        return null;
    }
}
