package io.vaultgate.delivery;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Test only: a MySQL Connector/J query interceptor that logs every statement the driver sends,
 * with the thread that sent it, so a test can count what one request cost. A test enables it
 * with {@code queryInterceptors=} on its JDBC URL; nothing in src/main knows of it.
 */
public class StatementLog implements QueryInterceptor {

    public record Entry(String thread, String sql) {}

    public static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        ENTRIES.add(new Entry(Thread.currentThread().getName(), String.valueOf(sql.get())));
        return null;
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true;
    }

    @Override
    public void destroy() {}

    @Override
    public <T extends Resultset> T postProcess(Supplier<String> sql, Query query, T result, ServerSession session) {
        return null;
    }
}
