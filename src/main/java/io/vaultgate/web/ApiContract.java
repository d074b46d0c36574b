package io.vaultgate.web;

import io.micronaut.core.io.ResourceResolver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API contract as the jar holds it: the OpenAPI 3.1 document the build writes from the
 * controllers (micronaut-openapi, at compile time, then ContractCorrections under src/build/java),
 * read once and served as it is, so what a client reads is what was built and tested. The document
 * holds no secret and nothing of this installation.
 */
@Singleton
public class ApiContract {

    static final String DOCUMENT = "META-INF/swagger/vaultgate-v1.yml";

    private final byte[] document;

    ApiContract(ResourceResolver resources) {
        try (InputStream in = resources
                .getResourceAsStream("classpath:" + DOCUMENT)
                .orElseThrow(
                        () -> new IllegalStateException("the build wrote no OpenAPI document (" + DOCUMENT + ")"))) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the OpenAPI document", e);
        }
    }

    /** The document's bytes, as the jar holds them. */
    public byte[] document() {
        return document.clone();
    }
}
