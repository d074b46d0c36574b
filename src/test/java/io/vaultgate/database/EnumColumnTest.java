package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.type.Argument;
import io.vaultgate.web.RestartMode;
import org.junit.jupiter.api.Test;

/**
 * Stored states read back by wire name. The context is the one Micronaut Data passes when it reads
 * an entity's property (SqlResultEntityTypeMapper: {@code ConversionContext.of(property.getArgument())}).
 */
class EnumColumnTest {

    private final RestartModeColumn column = new RestartModeColumn();
    private final ConversionContext restartModeProperty =
            ConversionContext.of(Argument.of(RestartMode.class, "restartMode"));

    @Test
    void aStateIsStoredAndReadByItsWireName() {
        assertThat(column.convertToPersistedValue(RestartMode.EVENTS, restartModeProperty))
                .isEqualTo("events");
        assertThat(column.convertToEntityValue("none", restartModeProperty)).isEqualTo(RestartMode.NONE);
    }

    @Test
    void aSpellingThisReleaseDoesNotKnowNamesTheColumnAndTheValue() {
        assertThatThrownBy(() -> column.convertToEntityValue("EVENTS", restartModeProperty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The database holds a spelling this release does not know")
                .hasMessageContaining("column restart_mode holds 'EVENTS'")
                .hasMessageContaining("one of events, none")
                .hasMessageNotContaining("newer version");
    }
}
