package io.vaultgate.bench;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.PreparedQuery;
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
 * Times the statements this JVM's connections send, by shape ({@link #shape}),
 * from the driver handing a statement over to its answer read: the server's time and the round
 * trip, not binding the parameters. Plugged in through Connector/J's {@code queryInterceptors}
 * URL property. Shaping costs a copy of the text a statement, so it runs only while
 * {@link #resume} is on, outside the measured samples.
 */
public final class StatementTimer implements QueryInterceptor {

    /** Statements of one shape: how many and their time in all. */
    record Timed(long count, long nanos) {}

    private static final Map<String, LongAdder[]> BY_SHAPE = new ConcurrentHashMap<>();
    private static final ThreadLocal<Long> STARTED = new ThreadLocal<>();
    private static volatile boolean timing;

    /** Times from now until {@link #pause}; what was timed is kept until {@link #stop}. */
    static void resume() {
        timing = true;
    }

    static void pause() {
        timing = false;
    }

    /** Stops timing; answers what was timed, by shape, and forgets it. */
    static Map<String, Timed> stop() {
        timing = false;
        Map<String, Timed> timed = new TreeMap<>();
        BY_SHAPE.forEach((shape, sums) -> timed.put(shape, new Timed(sums[0].sum(), sums[1].sum())));
        BY_SHAPE.clear();
        return timed;
    }

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        if (timing) {
            STARTED.set(System.nanoTime());
        }
        return null;
    }

    @Override
    public <T extends Resultset> T postProcess(
            Supplier<String> sql, Query query, T originalResultSet, ServerSession serverSession) {
        Long started = STARTED.get();
        STARTED.remove();
        if (timing && started != null) {
            long nanos = System.nanoTime() - started;
            LongAdder[] sums = BY_SHAPE.computeIfAbsent(
                    shape(query, sql), s -> new LongAdder[] {new LongAdder(), new LongAdder()});
            sums[0].increment();
            sums[1].add(nanos);
        }
        return null;
    }

    /**
     * A prepared statement's text as prepared, else the text sent, with its string and number
     * literals as {@code ?}; a long one cut, with its length, which tells a 500-name list from a
     * 1,000-name one; one sent by a thread other than a request's is marked with the thread's
     * name. Not {@link StatementRecorder#shape}: its expressions overflow the stack on a 1,000-row
     * insert.
     */
    private static String shape(Query query, Supplier<String> sql) {
        String text = query instanceof PreparedQuery prepared ? prepared.getOriginalSql() : sql.get();
        if (text == null) {
            return "(no text)";
        }
        text = withoutLiterals(text).replaceAll("\\s+", " ").trim();
        String thread = Thread.currentThread().getName().replaceAll("-?\\d+$", "");
        return (thread.startsWith("io-executor") ? "" : "[" + thread + "] ")
                + (text.length() <= 100 ? text : text.substring(0, 90) + "… (" + text.length() + " chars)");
    }

    /** Quoted strings ({@code ''} and backslash escapes inside) and numbers outside names, as {@code ?}. */
    static String withoutLiterals(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'') {
                i++;
                while (i < sql.length()) {
                    char in = sql.charAt(i);
                    if (in == '\\') {
                        i += 2;
                    } else if (in == '\'' && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                        i += 2;
                    } else if (in == '\'') {
                        i++;
                        break;
                    } else {
                        i++;
                    }
                }
                out.append('?');
            } else if (Character.isDigit(c)
                    && (i == 0 || !(Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_'))) {
                while (i < sql.length() && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                out.append('?');
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    out.append(sql.charAt(i++));
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true;
    }

    @Override
    public void destroy() {}
}
