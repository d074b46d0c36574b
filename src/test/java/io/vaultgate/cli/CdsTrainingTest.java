package io.vaultgate.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class CdsTrainingTest {

    @Test
    void theTrainingRunCompletesAgainstItsOwnCannedGateway() {
        // bin/vaultgate's class-data archive holds the classes this run loads (src/build/java): it must end normally.
        assertThatCode(() -> CdsTraining.main(new String[0])).doesNotThrowAnyException();
    }
}
