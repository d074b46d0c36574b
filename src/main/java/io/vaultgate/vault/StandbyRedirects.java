package io.vaultgate.vault;

import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.InterceptingClientHttpRequestFactory;

/**
 * Turns Vault's redirects into failures. An OpenBao standby that cannot reach the leader answers
 * 307 with a Location naming that leader: following it would dial a dead node, and a RestTemplate
 * not following it takes the 3xx for a success with an empty body. Nothing was applied: the
 * standby only redirected.
 */
final class StandbyRedirects implements ClientHttpRequestInterceptor {

    private StandbyRedirects() {}

    static ClientHttpRequestFactory refused(ClientHttpRequestFactory requests) {
        return new InterceptingClientHttpRequestFactory(requests, List.of(new StandbyRedirects()));
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        ClientHttpResponse response = execution.execute(request, body);
        if (response.getStatusCode().is3xxRedirection()) {
            int status = response.getStatusCode().value();
            response.close();
            throw new Redirected(status);
        }
        return response;
    }

    /** A redirect answered instead of a result; its Location is not kept (it names a node, not data). */
    static final class Redirected extends RuntimeException {

        private final int status;

        Redirected(int status) {
            super("vault answered HTTP " + status + " (a standby redirecting to a leader)", null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
