package io.vaultgate.secret;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.vaultgate.project.DeploymentRef;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.secret.SecretMetadata.DeploymentKeys;
import io.vaultgate.secret.SecretMetadata.KeyVersion;
import io.vaultgate.values.EntryPath;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment and the live keys of its scope entries, in one SQL statement: the boot fetch's
 * whole metadata cost. The environment-type entry depends on the environment's row, so the
 * statement picks it with a {@code CASE} over every type, each type's entry path computed here
 * by {@code EntryPath.of} (the layout stays in Java, not in SQL).
 *
 * <p>Rows are read by hand, only the columns a fetch needs: on a 100-key deployment, the
 * entity mapper's per-row naming and timestamp conversion were the gateway's largest CPU cost
 * per boot fetch (bench/run.sh with a JFR profile).
 */
@Singleton
class DeploymentKeysQuery {

    private static final String SQL = "SELECT d.id AS deployment_id, p.id AS project_id, e.type AS environment_type, "
            + "x.entry_path, s.id AS secret_id, s.key_name, s.version, s.vault_version, x.vault_version AS entry_version "
            + "FROM deployment d JOIN project p ON p.id = d.project_id "
            + "JOIN environment e ON e.id = d.environment_id JOIN service v ON v.id = d.service_id "
            + "LEFT JOIN scope_entry x ON x.entry_path IN (?, ?, ?, ?, CASE e.type"
            + " WHEN ? THEN ?".repeat(EnvironmentType.values().length) + " END) "
            + "LEFT JOIN secret s ON s.scope_entry_id = x.id AND s.deleted = FALSE "
            + "WHERE p.slug = ? AND e.slug = ? AND v.slug = ?";

    private final ConnectionOperations<Connection> connections;

    DeploymentKeysQuery(ConnectionOperations<Connection> connections) {
        this.connections = connections;
    }

    Optional<DeploymentKeys> find(String project, String environment, String service) {
        return connections.executeRead(status -> {
            try (PreparedStatement statement = status.getConnection().prepareStatement(SQL)) {
                bind(statement, project, environment, service);
                try (ResultSet rows = statement.executeQuery()) {
                    return read(rows, project, environment, service);
                }
            } catch (SQLException e) {
                throw new DataAccessException(
                        "could not read the keys of deployment " + project + "/" + environment + "/" + service, e);
            }
        });
    }

    private static void bind(PreparedStatement statement, String project, String environment, String service)
            throws SQLException {
        int at = 1;
        statement.setString(at++, EntryPath.of(Scope.project(project)).path());
        statement.setString(
                at++, EntryPath.of(Scope.environment(project, environment)).path());
        statement.setString(at++, EntryPath.of(Scope.service(project, service)).path());
        statement.setString(
                at++,
                EntryPath.of(Scope.serviceInEnvironment(project, environment, service))
                        .path());
        for (EnvironmentType type : EnvironmentType.values()) {
            statement.setString(at++, type.wireName());
            statement.setString(
                    at++, EntryPath.of(Scope.environmentType(project, type)).path());
        }
        statement.setString(at++, project);
        statement.setString(at++, environment);
        statement.setString(at, service);
    }

    private static Optional<DeploymentKeys> read(ResultSet rows, String project, String environment, String service)
            throws SQLException {
        DeploymentRef deployment = null;
        ScopeChain chain = null;
        Map<String, Scope> scopesByPath = null;
        Map<Scope, Map<String, KeyVersion>> keysByScope = new HashMap<>();
        Map<Scope, Integer> acknowledged = new HashMap<>();
        while (rows.next()) {
            if (deployment == null) {
                deployment = new DeploymentRef(
                        rows.getLong(1), rows.getLong(2), project, environment, service, rows.getString(3));
                chain = deployment.chain();
                scopesByPath = new HashMap<>();
                for (Scope scope : chain.scopes()) {
                    scopesByPath.put(EntryPath.of(scope).path(), scope);
                }
            }
            String entryPath = rows.getString(4);
            if (entryPath == null) {
                continue; // none of the chain's scopes has an entry yet
            }
            Scope scope = scopesByPath.get(entryPath);
            acknowledged.put(scope, rows.getInt(9));
            long secretId = rows.getLong(5);
            if (rows.wasNull()) {
                continue; // an entry without live keys
            }
            keysByScope
                    .computeIfAbsent(scope, s -> new HashMap<>())
                    .put(rows.getString(6), new KeyVersion(secretId, rows.getInt(7), rows.getInt(8)));
        }
        if (deployment == null) {
            return Optional.empty();
        }
        return Optional.of(new DeploymentKeys(deployment, chain, chain.resolve(keysByScope), acknowledged));
    }
}
