package io.vaultgate.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class DeliveryErrorTest {

    @Test
    void closedFilteredUnreachableAndNonHttpPortsLookAlike() {
        for (IOException failure : List.of(
                new HttpHostConnectException("Connection refused: /10.0.0.5:22"),
                new ConnectException("Connection refused"),
                new ConnectTimeoutException("Connect timed out"),
                new NoRouteToHostException("No route to host"),
                new SocketException("Connection reset"),
                new NoHttpResponseException("10.0.0.5:22 failed to respond"),
                new IOException("anything else"))) {
            assertThat(DeliveryError.of(failure)).as(failure.toString()).isEqualTo(DeliveryError.CONNECTION_FAILED);
        }
    }

    @Test
    void aReceiverTooSlowToAnswerTlsNamesAndRefusedAddressesHaveClassesOfTheirOwn() {
        assertThat(DeliveryError.of(new SocketTimeoutException("Read timed out")))
                .isEqualTo(DeliveryError.TIMEOUT);
        assertThat(DeliveryError.of(new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo(DeliveryError.TLS_FAILED);
        assertThat(DeliveryError.of(new SSLPeerUnverifiedException("Certificate for <x> doesn't match")))
                .isEqualTo(DeliveryError.TLS_FAILED);
        assertThat(DeliveryError.of(new UnknownHostException("deploy.internal")))
                .isEqualTo(DeliveryError.DNS_FAILED);
        assertThat(DeliveryError.of(new HookUrlPolicy.AddressRefusedException(List.of(AddressClass.LOOPBACK))))
                .isEqualTo(DeliveryError.ADDRESS_REFUSED);
    }

    @Test
    void everyClassHasAWireNameThatReadsBack() {
        assertThat(DeliveryError.CONNECTION_FAILED.wireName()).isEqualTo("connection-failed");
        Arrays.stream(DeliveryError.values())
                .forEach(error -> assertThat(new DeliveryErrorConverter().convertToEntityValue(error.wireName(), null))
                        .isEqualTo(error));
    }
}
