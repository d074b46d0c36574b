package io.vaultgate.database;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.ServerSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.TimeZone;

/**
 * Times bound to statements written by hand, as the wall time the database's {@code DATETIME}
 * columns hold. Connector/J turns a bound {@link Instant} or {@code Timestamp} into wall time with
 * a new {@code SimpleDateFormat} a value (9.4): 2,000 of them, a sixth of the request thread's
 * profile samples, for a 1,000-key import. A {@link LocalDateTime} it writes as given, with a
 * shared formatter; so an instant converted here to the zone the driver converts a
 * {@code Timestamp} to (as Micronaut Data binds an entity's instant) is stored as that timestamp
 * would have been, without the cost: Connector/J's connection time zone when it preserves
 * instants (UTC in application.yml), the JVM's when it does not; for dev mode's H2 the JVM's,
 * which is H2's session zone unless a statement sets another (the gateway never does). Asked of
 * each connection, so a URL that sets other driver settings is followed too.
 */
public final class StoredTimes {

    private StoredTimes() {}

    /** The zone in which {@code connection}'s driver stores an instant as wall time. */
    public static ZoneId zoneOf(Connection connection) {
        try {
            if (!connection.isWrapperFor(JdbcConnection.class)) {
                return ZoneId.systemDefault();
            }
            JdbcConnection mysql = connection.unwrap(JdbcConnection.class);
            ServerSession session = mysql.getSession().getServerSession();
            boolean preservesInstants = mysql.getPropertySet()
                    .getBooleanProperty(PropertyKey.preserveInstants)
                    .getValue();
            TimeZone zone = preservesInstants ? session.getSessionTimeZone() : session.getDefaultTimeZone();
            return zone.toZoneId();
        } catch (SQLException e) {
            throw new IllegalStateException("could not tell the database connection's time zone", e);
        }
    }

    /** {@code instant} as {@code connection} would store it; null for null. */
    public static LocalDateTime of(Connection connection, Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, zoneOf(connection));
    }

    /** {@code instant} as a connection whose driver converts in {@code zone} would store it; null for null. */
    public static LocalDateTime in(ZoneId zone, Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, zone);
    }
}
