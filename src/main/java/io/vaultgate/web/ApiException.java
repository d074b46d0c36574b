package io.vaultgate.web;

import java.util.Map;

/**
 * The one exception type features throw for an answer that is not a success. The detail is
 * written for the user and quotes what they sent, never a value or a token.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode errorCode;
    private final String field;
    private final Map<String, Object> extensions;

    public ApiException(ErrorCode errorCode, String detail) {
        this(errorCode, detail, null, Map.of());
    }

    public ApiException(ErrorCode errorCode, String detail, String field) {
        this(errorCode, detail, field, Map.of());
    }

    public ApiException(ErrorCode errorCode, String detail, String field, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.errorCode = errorCode;
        this.field = field;
        this.extensions = Map.copyOf(extensions);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public String field() {
        return field;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
