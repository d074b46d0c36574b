package io.vaultgate.web;

import java.time.Duration;

/** A refusal the caller may try again after a while; answered with a {@code Retry-After} header. */
public class RetryLaterException extends ApiException {

    private final Duration retryAfter;

    public RetryLaterException(ErrorCode errorCode, String detail, Duration retryAfter) {
        super(errorCode, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
