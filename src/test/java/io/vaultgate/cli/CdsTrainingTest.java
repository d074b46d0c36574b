package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class CdsTrainingTest {

    @Test
    void theTrainingRunCompletesAgainstItsOwnCannedGateway() {
        // bin/vaultgate records its class-data archive from this run; it must end normally.
        assertThatCode(() -> CdsTraining.main(new String[0])).doesNotThrowAnyException();
    }
}
