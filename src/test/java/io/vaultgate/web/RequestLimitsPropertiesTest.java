package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLimitsPropertiesTest {

    private final RequestLimitsProperties limits = new RequestLimitsProperties(400, 20, 3);

    @ParameterizedTest
    @CsvSource({
        "POST,   /v1/projects/p/import,                                       400",
        "POST,   /v1/projects/p/environments/e/services/s/import,             400",
        "POST,   /v1/projects/p/environment-types/production/import,          400",
        "PUT,    /v1/projects/p/secrets/KEY,                                  20",
        "PUT,    /v1/projects/p/environments/e/services/s/secrets/DB_URL,     20",
        "PUT,    /v1/projects/p/import,                                       3",
        "GET,    /v1/projects/p/import,                                       3",
        "POST,   /v1/projects/p/secrets/KEY/rollback,                         3",
        "PUT,    /v1/projects/p/services/s/requirements,                      3",
        "PUT,    /v1/projects/p/environments/secrets,                         3",
        "PUT,    /v1/projects/secrets,                                        3",
        "PUT,    /v1/projects/p/environments/e,                               3",
        "POST,   /v1/projects/p/hooks,                                        3",
        "POST,   /v1/projects/p/environments/e/services/s/tokens,             3",
        "DELETE, /v1/projects/p/secrets/KEY,                                  3",
        "GET,    /secrets/KEY,                                                3",
        "PUT,    /,                                                           3"
    })
    void eachRouteHasTheLimitOfWhatItCarries(HttpMethod method, String path, long limit) {
        assertThat(limits.bodyBytesFor(method, path)).isEqualTo(limit);
    }

    @Test
    void everyLimitIsAtLeastOneByte() {
        assertThatThrownBy(() -> new RequestLimitsProperties(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestLimitsProperties(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestLimitsProperties(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
