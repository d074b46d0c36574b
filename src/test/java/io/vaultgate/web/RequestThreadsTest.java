package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.executor.ExecutorConfiguration;
import io.micronaut.scheduling.executor.ExecutorType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The shipped configuration runs requests on a fixed pool, not Micronaut's thread-per-request default. */
@MicronautTest(environments = "dev", transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestThreadsTest implements TestPropertyProvider {

    @Inject
    @Named(TaskExecutors.IO)
    ExecutorConfiguration io;

    @Inject
    AdmissionProperties admission;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of(
                    "vaultgate.dev.data-dir",
                    Files.createTempDirectory("vaultgate-threads")
                            .resolve("data")
                            .toString(),
                    "micronaut.server.port",
                    "-1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void requestsRunOnSixteenFixedThreadsAndThirtyTwoAreAdmittedAtOnce() {
        assertThat(io.getType()).isEqualTo(ExecutorType.FIXED);
        assertThat(io.getNumberOfThreads()).isEqualTo(16);
        assertThat(admission.maxRequests()).isEqualTo(32);
    }
}
