package io.vaultgate.web;

import io.micronaut.core.io.ResourceResolver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The API contract as the jar holds it: the OpenAPI 3.1 document the build writes from the
 * controllers (micronaut-openapi, at compile time, then ContractCorrections under src/build/java),
 * read once and served as it is, so what a client reads is what was built and tested. Its entity
 * tag is a hash of those bytes, so it changes exactly when the document does. The document holds
 * no secret and nothing of this installation.
 */
@Singleton
final class ApiContract {

    static final String DOCUMENT = "META-INF/swagger/vaultgate-v1.yml";

    private final byte[] document;
    private final String entityTag;

    ApiContract(ResourceResolver resources) {
        try (InputStream in = resources
                .getResourceAsStream("classpath:" + DOCUMENT)
                .orElseThrow(
                        () -> new IllegalStateException("the build wrote no OpenAPI document (" + DOCUMENT + ")"))) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the OpenAPI document", e);
        }
        this.entityTag = EntityTags.of(sha256(document));
    }

    /** The document's bytes, as the jar holds them; shared, so never written to. */
    byte[] document() {
        return document;
    }

    /** A strong entity tag: the SHA-256 of the bytes. */
    String entityTag() {
        return entityTag;
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
