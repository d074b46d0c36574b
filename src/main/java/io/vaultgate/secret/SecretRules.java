package io.vaultgate.secret;

import io.vaultgate.dotenv.DotenvLimits;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The rules for secret values and scope sizes: values are UTF-8 text without NUL up to the
 * configured size (names follow {@code scope.KeyNames}). Errors name the key and the rule, never
 * the value.
 */
@Singleton
class SecretRules {

    private final LimitsProperties limits;

    SecretRules(LimitsProperties limits) {
        this.limits = limits;
    }

    SecretValue requireValue(String key, String value) {
        if (value == null) {
            throw new ApiException(ErrorCode.INVALID_SECRET_VALUE, "The value of " + key + " is missing.", "value");
        }
        if (value.indexOf('\0') >= 0) {
            throw new ApiException(
                    ErrorCode.INVALID_SECRET_VALUE,
                    "The value of " + key + " contains a NUL character, which no environment variable can hold.",
                    "value");
        }
        if (!isWellFormedUtf16(value)) {
            throw new ApiException(
                    ErrorCode.INVALID_SECRET_VALUE,
                    "The value of " + key + " is not valid Unicode text (unpaired surrogate).",
                    "value");
        }
        SecretValue secretValue = new SecretValue(value);
        if (secretValue.utf8Length() > limits.valueBytes()) {
            throw new ApiException(
                    ErrorCode.VALUE_TOO_LARGE,
                    "The value of " + key + " is " + secretValue.utf8Length() + " bytes; the limit is "
                            + limits.valueBytes() + " bytes of UTF-8.",
                    "value");
        }
        return secretValue;
    }

    /** The same limits for a .env import, which the parser checks while it expands the file. */
    DotenvLimits dotenvLimits() {
        return new DotenvLimits(limits.valueBytes(), limits.scopeBytes(), limits.importKeys());
    }

    /** Checked as an import is read, before {@code key} is added to the {@code keysBefore} read so far. */
    void requireRoomForKey(String key, int keysBefore) {
        if (keysBefore >= limits.importKeys()) {
            throw new ApiException(
                    ErrorCode.TOO_MANY_KEYS,
                    "An import may hold at most " + limits.importKeys() + " keys; " + key + " would be key "
                            + (keysBefore + 1) + ".",
                    key);
        }
    }

    /**
     * Checked as an import is read: {@code bytes} of names and values so far, up to and including
     * {@code key}. No scope can hold an import larger than a scope, so it is refused at that key.
     */
    void requireImportBytes(String key, long bytes) {
        if (bytes > limits.scopeBytes()) {
            throw new ApiException(
                    ErrorCode.SCOPE_TOO_LARGE,
                    "The import's names and values pass "
                            + limits.scopeBytes() + " bytes at " + key + "; a scope holds at most "
                            + limits.scopeBytes()
                            + " bytes.",
                    key);
        }
    }

    void requireScopeSize(String scope, Map<String, SecretValue> values) {
        if (values.size() > limits.scopeKeys()) {
            throw new ApiException(
                    ErrorCode.SCOPE_TOO_LARGE,
                    "After this write, scope " + scope + " would hold " + values.size() + " keys; the limit is "
                            + limits.scopeKeys() + " keys.");
        }
        long bytes = values.entrySet().stream()
                .mapToLong(e -> e.getKey().length() + e.getValue().utf8Length())
                .sum();
        if (bytes > limits.scopeBytes()) {
            throw new ApiException(
                    ErrorCode.SCOPE_TOO_LARGE,
                    "After this write, scope " + scope + " would hold " + bytes
                            + " bytes of names and values; the limit is " + limits.scopeBytes() + " bytes.");
        }
    }

    private static boolean isWellFormedUtf16(String value) {
        try {
            StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
