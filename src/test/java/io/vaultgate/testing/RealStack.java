package io.vaultgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Modifier;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One test class's view of the real parts: the shared Vault-API server (with
 * {@code vault-config/} applied) and MySQL-protocol server, plus this class's own fresh
 * database and KV path prefix. See {@link Servers} for how the servers are found or started.
 *
 * <p>Typical use with Micronaut:
 * <pre>{@code
 * @RealParts
 * @MicronautTest(environments = "production")
 * @TestInstance(TestInstance.Lifecycle.PER_CLASS)
 * class SecretWriteIT implements TestPropertyProvider {
 *     final RealStack stack = RealStack.forClass(SecretWriteIT.class);
 *
 *     @Override
 *     public Map<String, String> getProperties() {
 *         return stack.gatewayProperties();
 *     }
 * }
 * }</pre>
 *
 * <p>The policies and tokens live on a server shared by all test classes of the JVM: a test that
 * rewrites a policy with {@link #writePolicy} to inject a failure must restore it.
 */
public final class RealStack {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Class<?>, RealStack> STACKS = new ConcurrentHashMap<>();

    private final Servers servers;
    private final String pathPrefix;
    private final String databaseName;
    private final String jdbcUrl;

    private RealStack(Servers servers, String id) {
        this.servers = servers;
        this.pathPrefix = "it-" + id;
        this.databaseName = "vg_it_" + id;
        this.jdbcUrl = servers.mysqlServerUrl + databaseName + "?" + Servers.JDBC_OPTIONS;
    }

    /**
     * This class's stack. The first call ensures the servers run and creates the class's fresh
     * database and path prefix; later calls return the same stack. A {@code @Nested} class gets
     * its enclosing class's stack.
     */
    public static RealStack forClass(Class<?> testClass) {
        Class<?> owner = ownerOf(testClass);
        synchronized (STACKS) {
            RealStack existing = STACKS.get(owner);
            if (existing != null) {
                return existing;
            }
            RealStack stack = new RealStack(Servers.shared(), randomHex(4));
            stack.createDatabase();
            STACKS.put(owner, stack);
            return stack;
        }
    }

    public String vaultAddress() {
        return servers.vault.address();
    }

    /** The root token: for tests only, to read values back and to inject failures. */
    public String rootToken() {
        return servers.rootToken;
    }

    /** A non-root token holding only the {@code vaultgate-gateway} policy, as in production. */
    public String gatewayToken() {
        return servers.gatewayToken;
    }

    /** A token holding {@code vaultgate-admin} (and {@code default}). */
    public String adminToken() {
        return servers.adminToken;
    }

    /**
     * A fresh token holding these policies and {@code default}; with none, a token holding only
     * {@code default} (a caller who is nobody in particular).
     */
    public String createToken(String... policies) {
        return servers.vault.createToken(servers.rootToken, List.of(policies), false, false, "vaultgate-it");
    }

    /**
     * Any Vault API call with any token ({@code path} below {@code /v1/}, {@code body} sent as JSON
     * when not null): for tests that act as an attacker holding that token, or inspect Vault as root.
     */
    public VaultHttp.Response vault(String method, String path, String token, Object body) {
        return servers.vault.call(method, path, token, body);
    }

    /** Undoes a change to the shared Vault when closed. */
    public interface Undo extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A Vault that protects itself, as production ones do: a rate-limit quota of {@code perSecond}
     * calls on {@code auth/token/}, removed on close.
     */
    public Undo limitTokenCalls(int perSecond) {
        String quota = "sys/quotas/rate-limit/it-" + pathPrefix + "-" + UUID.randomUUID();
        VaultHttp.Response created =
                vault("POST", quota, rootToken(), Map.of("path", "auth/token/", "rate", perSecond, "interval", "1s"));
        if (!created.ok()) {
            throw new IllegalStateException("could not create the quota " + quota + ": " + created);
        }
        return () -> vault("DELETE", quota, rootToken(), null);
    }

    /** Creates or replaces an ACL policy with the root token. */
    public void writePolicy(String name, String hcl) {
        servers.vault.writePolicy(servers.rootToken, name, hcl);
    }

    public String kvMount() {
        return Servers.KV_MOUNT;
    }

    /** Unique to this test class, e.g. {@code it-3fa9c2d1}; entries go below {@code <mount>/data/<prefix>/}. */
    public String pathPrefix() {
        return pathPrefix;
    }

    /** This class's own fresh database. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return servers.mysqlUser;
    }

    public String jdbcPassword() {
        return servers.mysqlPassword;
    }

    /** Every Micronaut property needed to run the gateway on this stack, in the {@code production} environment. */
    public Map<String, String> gatewayProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("datasources.default.url", jdbcUrl);
        properties.put("datasources.default.username", jdbcUser());
        properties.put("datasources.default.password", jdbcPassword());
        properties.put("datasources.default.driver-class-name", "com.mysql.cj.jdbc.Driver");
        properties.put("datasources.default.dialect", "MYSQL");
        properties.put("vaultgate.vault.uri", vaultAddress());
        properties.put("vaultgate.vault.token", gatewayToken());
        properties.put("vaultgate.vault.mount", kvMount());
        properties.put("vaultgate.vault.path-prefix", pathPrefix);
        properties.put("micronaut.server.port", "-1");
        return Collections.unmodifiableMap(properties);
    }

    @Override
    public String toString() {
        return "RealStack[" + pathPrefix + ", database " + databaseName + "]"; // no tokens
    }

    // --- lifecycle, used by RealStackExtension ---------------------------------------------------

    /** The class whose stack {@code testClass} uses: {@code @Nested} (inner) classes share their outer one's. */
    static Class<?> ownerOf(Class<?> testClass) {
        Class<?> owner = testClass;
        while (owner.getEnclosingClass() != null && owner.isMemberClass() && !Modifier.isStatic(owner.getModifiers())) {
            owner = owner.getEnclosingClass();
        }
        return owner;
    }

    /** Forgets the class's stack; with {@code drop}, drops its database and deletes its KV entries. */
    static void release(Class<?> testClass, boolean drop) {
        RealStack stack = STACKS.remove(ownerOf(testClass));
        if (stack != null && drop) {
            stack.dropDatabase();
            stack.deleteKvEntries(stack.pathPrefix + "/");
        }
    }

    String databaseName() {
        return databaseName;
    }

    Servers servers() {
        return servers;
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private void createDatabase() {
        try (Connection connection = servers.connectToServer();
                Statement statement = connection.createStatement()) {
            // No IF NOT EXISTS: the database must be new.
            statement.execute("CREATE DATABASE `" + databaseName + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + databaseName + ": " + e.getMessage(), e);
        }
    }

    private void dropDatabase() {
        try (Connection connection = servers.connectToServer();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS `" + databaseName + "`");
        } catch (SQLException e) {
            System.err.println("[RealStack] could not drop database " + databaseName + ": " + e.getMessage());
        }
    }

    /** Removes every version and the metadata of the entries below {@code folder} (best effort). */
    private void deleteKvEntries(String folder) {
        try {
            VaultHttp.Response listing = servers.vault.call(
                    "GET", kvMount() + "/metadata/" + folder + "?list=true", servers.rootToken, null);
            if (!listing.ok()) {
                return; // 404: nothing was written
            }
            for (JsonNode key : listing.body().path("data").path("keys")) {
                String child = folder + key.asText();
                if (child.endsWith("/")) {
                    deleteKvEntries(child);
                } else {
                    servers.vault.call("DELETE", kvMount() + "/metadata/" + child, servers.rootToken, null);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("[RealStack] could not clean " + kvMount() + "/" + folder + ": " + e.getMessage());
        }
    }
}
