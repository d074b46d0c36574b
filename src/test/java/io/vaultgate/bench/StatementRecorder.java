package io.vaultgate.bench;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Records the statements the gateway's own connections send while recording is on, so the
 * benchmark can EXPLAIN every one a boot fetch and a write run. Plugged in through Connector/J's
 * {@code queryInterceptors} URL property: it sees only this JVM's connections to the bench
 * database, unlike the server's general log, which every client of the shared MariaDB fills.
 * Each statement is kept once per shape (literals replaced by {@code ?}), with one concrete text
 * to EXPLAIN and the thread that sent it, so background work can be told from the request's.
 */
public final class StatementRecorder implements QueryInterceptor {

    /** One statement shape: a concrete text of it and the threads that sent it. */
    record Recorded(String example, String threads) {}

    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.|'')*'");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])-?\\d+(?:\\.\\d+)?(?![\\w.])");
    private static final Pattern LIST = Pattern.compile("\\(\\s*\\?(?:\\s*,\\s*\\?)+\\s*\\)");
    private static final Pattern ROWS = Pattern.compile("\\(\\.\\.\\.\\)(?:\\s*,\\s*\\(\\.\\.\\.\\))+");
    private static final Map<String, Recorded> SEEN = new ConcurrentHashMap<>();
    private static volatile boolean recording;

    static void start() {
        SEEN.clear();
        recording = true;
    }

    /** Stops recording; returns what was recorded by shape. */
    static Map<String, Recorded> stop() {
        recording = false;
        return Map.copyOf(SEEN);
    }

    /** The statement with its literals as {@code ?} and lists of them as {@code (...)}. */
    static String shape(String sql) {
        String shaped = NUMBER.matcher(STRING.matcher(sql).replaceAll("?")).replaceAll("?");
        shaped = LIST.matcher(shaped).replaceAll("(...)");
        return ROWS.matcher(shaped)
                .replaceAll("(...), ...")
                .replaceAll("\\s+", " ")
                .trim();
    }

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        if (recording) {
            String text = sql.get();
            if (text != null) {
                String thread = Thread.currentThread().getName().replaceAll("-?\\d+$", "");
                SEEN.merge(
                        shape(text),
                        new Recorded(text, thread),
                        (old, added) -> old.threads().contains(thread)
                                ? old
                                : new Recorded(old.example(), old.threads() + "," + thread));
            }
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
