package io.vaultgate.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.http.HttpMethod;

/**
 * The largest request body each kind of route takes, in bytes as sent: the one place that says
 * which route may hold how much of the gateway's memory. {@link BodySizeFilter} refuses a larger
 * body before reading it; {@code micronaut.server.max-request-size} is set to the largest of
 * these, so the framework itself never buffers more.
 *
 * @param importBytes {@code POST .../import}: a whole 1 MiB scope, as JSON with every character
 *                    past ASCII escaped as <code>&#92;u00XX</code> (three times its UTF-8), or as a
 *                    commented .env file
 * @param secretBytes {@code PUT .../secrets/{KEY}}: one 64 KiB value even if every byte of it is
 *                    escaped as <code>&#92;u00XX</code> (six times), with room for the rest of the object;
 *                    and every form of the console ({@code POST /console/...}), whose largest carries
 *                    one value typed, uploaded, or sealed in base64 between a preview and its apply
 * @param otherBytes  every other request: the small JSON bodies of rollback, tokens, catalog,
 *                    hooks and requirements, and requests that carry no body at all
 */
@ConfigurationProperties("vaultgate.request-limits")
record RequestLimitsProperties(long importBytes, long secretBytes, long otherBytes) {

    RequestLimitsProperties {
        if (importBytes < 1 || secretBytes < 1 || otherBytes < 1) {
            throw new IllegalArgumentException("vaultgate.request-limits.* are 1 byte or more.");
        }
    }

    /** The largest body any route accepts. */
    long largest() {
        return Math.max(importBytes, Math.max(secretBytes, otherBytes));
    }

    /** The limit for a request, by its method and path. */
    long bodyBytesFor(HttpMethod method, String path) {
        if (method == HttpMethod.POST && path.endsWith("/import")) {
            return importBytes;
        }
        if (method == HttpMethod.PUT && isSecretPath(path)) {
            return secretBytes;
        }
        if (method == HttpMethod.POST && path.startsWith(OpenPaths.CONSOLE + "/")) {
            return secretBytes;
        }
        return otherBytes;
    }

    /** {@code .../secrets/{KEY}}: the segment before the last one is {@code secrets}. */
    private static boolean isSecretPath(String path) {
        int key = path.lastIndexOf('/');
        int secrets = key > 0 ? path.lastIndexOf('/', key - 1) : -1;
        return secrets >= 0 && path.substring(secrets, key).equals("/secrets");
    }
}
