package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Dev mode's H2 converts an instant in the JVM's zone, and a time bound by hand is stored the same. */
class StoredTimesTest {

    @Test
    void aTimeBoundByHandOnH2IsStoredAsH2StoresTheInstant() throws SQLException {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:stored-times;MODE=MySQL", "sa", "")) {
            assertThat(StoredTimes.zoneOf(h2)).isEqualTo(ZoneId.systemDefault());
            assertThat(StoredTimesIT.differences(h2)).isEmpty();
        }
    }
}
