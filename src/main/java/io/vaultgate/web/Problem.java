package io.vaultgate.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An RFC 9457 problem document with Vaultgate's stable {@code code} and the request id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        @io.micronaut.core.annotation.Nullable String field,
        String requestId,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(
            ErrorCode errorCode,
            String detail,
            @io.micronaut.core.annotation.Nullable String field,
            String requestId,
            Map<String, Object> extensions) {
        return new Problem(
                "https://vaultgate.io/problems/" + errorCode.code(),
                errorCode.title(),
                errorCode.status().getCode(),
                detail,
                errorCode.code(),
                field,
                requestId,
                extensions);
    }

    @JsonAnyGetter
    Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }
}
