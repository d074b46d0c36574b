package io.vaultgate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import io.vaultgate.testing.RealStack;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of integration tests that run the whole gateway in production mode on the class's own
 * real stack (OpenBao + MariaDB, or their Testcontainers twins), as the gateway's own
 * least-privilege token. Subclasses carry {@code @MicronautTest(environments = "production") @RealParts}:
 * without the environment the gateway refuses to start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayTest implements TestPropertyProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected EmbeddedServer server;

    protected RealStack stack() {
        return RealStack.forClass(getClass());
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(stack().gatewayProperties());
        properties.putAll(extraProperties());
        return properties;
    }

    private TcpProxy vaultRelay;

    /**
     * A relay in front of Vault that the test can refuse, cut or hold answers on; made once per
     * class. The gateway goes through it when {@link #vaultThroughRelay} is its Vault address.
     */
    protected TcpProxy vaultRelay() {
        if (vaultRelay == null) {
            URI address = URI.create(stack().vaultAddress());
            vaultRelay = new TcpProxy(address.getHost(), address.getPort());
        }
        return vaultRelay;
    }

    /** Vault's address through {@link #vaultRelay}, for {@code vaultgate.vault.uri}. */
    protected String vaultThroughRelay() {
        return "http://127.0.0.1:" + vaultRelay().port();
    }

    @AfterAll
    void closeVaultRelay() {
        if (vaultRelay != null) {
            vaultRelay.close();
        }
    }

    /** Per-class additions or overrides to the gateway's properties. */
    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    protected ApiClient admin() {
        return new ApiClient(URI.create(server.getURL().toString()), stack().adminToken());
    }

    /** The KV entry as Vault has it, read with the root token, bypassing the gateway. */
    protected JsonNode vaultEntry(String entryPath) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(stack().vaultAddress() + "/v1/" + stack().kvMount()
                                            + "/data/" + stack().pathPrefix() + "/" + entryPath))
                                    .header("X-Vault-Token", stack().rootToken())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 404
                    ? null
                    : JSON.readTree(response.body()).path("data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected Connection database() throws SQLException {
        return DriverManager.getConnection(stack().jdbcUrl(), stack().jdbcUser(), stack().jdbcPassword());
    }

    /** Every text of every row of every table of the class's database, as a dump would show it. */
    protected String databaseDump() throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs =
                    connection.getMetaData().getTables(connection.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM `" + table + "`")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            dump.append(rows.getString(i)).append('\t');
                        }
                        dump.append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }

    protected long count(String sql) throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    protected void execute(String sql) throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
