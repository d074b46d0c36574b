package io.vaultgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.web.OpenPaths;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which paths the bearer-token filter guards: every one but the exact open paths. */
class BearerTokenFilterTest {

    private static final Pattern GUARDED = Pattern.compile(OpenPaths.ALL_BUT_OPEN_PATHS);

    @Test
    void onlyTheExactOpenPathsGoWithoutAToken() {
        for (String open :
                new String[] {"/health", "/health/", "/health/liveness", "/health/readiness", "/openapi.yml"}) {
            assertThat(GUARDED.matcher(open).matches()).as(open).isFalse();
        }
    }

    @Test
    void anOpenPathWithAnythingAfterItNeedsAToken() {
        for (String guarded : new String[] {
            "/health\n",
            "/health/liveness\n",
            "/openapi.yml\n",
            "/openapi.yml\r\n",
            "/health/details",
            "/openapi.yml.bak",
            "/openapiXyml",
            "/v1/projects\n/x",
            "/prometheus"
        }) {
            assertThat(GUARDED.matcher(guarded).matches())
                    .as(guarded.replace("\n", "\\n").replace("\r", "\\r"))
                    .isTrue();
        }
    }
}
