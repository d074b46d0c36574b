package io.vaultgate.restart;

import io.vaultgate.web.WireNames;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Why a delivery has no answer, or why it is not being sent: the whole vocabulary of a delivery
 * log's {@code error} and {@code lastError}. Exception messages are never stored: they named the
 * addresses and ports tried ("Connection refused: /10.0.0.5:22"), which would turn the delivery
 * log into a port scanner of every network a hook may reach.
 *
 * <p>Coarse on purpose. A closed port, a filtered one, a host that is down and a port speaking
 * something other than HTTP all read {@code connection-failed}, so the log cannot tell them
 * apart; {@code timeout} is kept apart because "the receiver took the request and did not answer
 * in time" is what its owner must know to fix it (a slow receiver), and costs the one bit that
 * some listener accepted a connection. {@code tls-failed} and {@code dns-failed} say what to fix
 * (the certificate, the name); {@code address-refused} says the project's hook networks refused
 * every address the host resolved to, without naming them.
 */
enum DeliveryError {
    CONNECTION_FAILED,
    TIMEOUT,
    TLS_FAILED,
    DNS_FAILED,
    ADDRESS_REFUSED,
    SIGNING_FAILED,
    /** The gateway stopped while sending; the delivery is sent again. */
    INTERRUPTED,
    /** Not sent: the hook's circuit breaker is open, or its signing secret could not be read; retried later. */
    POSTPONED,
    /** Not sent: the hook was disabled (its receiver answered 410 Gone). */
    HOOK_DISABLED,
    /** Not sent: the hook was removed. */
    HOOK_REMOVED;

    /** {@code connection-failed}: what the API shows and the database stores. */
    String wireName() {
        return WireNames.of(this);
    }

    /** The class of a failed send; the exception's message is not looked at. */
    static DeliveryError of(IOException failure) {
        if (failure instanceof HookUrlPolicy.AddressRefusedException) {
            return ADDRESS_REFUSED;
        }
        if (failure instanceof UnknownHostException) {
            return DNS_FAILED;
        }
        if (failure instanceof ConnectTimeoutException) {
            return CONNECTION_FAILED;
        }
        if (failure instanceof SocketTimeoutException) {
            return TIMEOUT;
        }
        if (failure instanceof SSLException) {
            return TLS_FAILED;
        }
        return CONNECTION_FAILED;
    }
}
