package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void a401NamesTheBearerSchemeAndNoOtherProblemDoes() {
        HttpRequest<?> request = HttpRequest.GET("/v1/projects");

        assertThat(Problems.response(request, ErrorCode.UNAUTHENTICATED, "no token", null, Map.of())
                        .getHeaders()
                        .get(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Bearer");
        assertThat(Problems.response(request, ErrorCode.FORBIDDEN, "no", null, Map.of())
                        .getHeaders()
                        .contains(HttpHeaders.WWW_AUTHENTICATE))
                .isFalse();
    }
}
