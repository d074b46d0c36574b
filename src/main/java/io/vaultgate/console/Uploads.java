package io.vaultgate.console;

import io.micronaut.http.multipart.CompletedFileUpload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** An uploaded file read as text: strictly UTF-8, so a binary file is refused rather than mangled. */
final class Uploads {

    private Uploads() {}

    /** The file's text, or empty when it is not UTF-8. */
    static Optional<String> utf8(CompletedFileUpload file) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file.getBytes()))
                    .toString());
        } catch (CharacterCodingException notText) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
