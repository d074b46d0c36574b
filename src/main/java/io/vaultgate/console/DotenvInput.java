package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.util.function.Supplier;

/**
 * The .env text of the import form, from the uploaded file or the pasted text (one of them), and
 * the form field it came from: the API's refusal of a bad line names the line but no field, and
 * on a page the field tells which input to fix. Never printed: the text holds values.
 */
record DotenvInput(String text, String field) {

    static final String FILE = "file";
    static final String PASTED = "dotenv";

    static DotenvInput of(@Nullable String pasted, @Nullable CompletedFileUpload file) {
        boolean uploaded = file != null
                && file.getFilename() != null
                && !file.getFilename().isEmpty();
        boolean entered = pasted != null && !pasted.isBlank();
        if (uploaded == entered) {
            throw new ApiException(
                    ErrorCode.INVALID_DOTENV,
                    uploaded ? "Choose a .env file or paste one, not both." : "Choose a .env file or paste one.",
                    FILE);
        }
        return entered ? new DotenvInput(pasted, PASTED) : new DotenvInput(utf8(file), FILE);
    }

    /** Runs the import, naming this input as the field of a refusal that points at a line. */
    <T> T refusedAs(Supplier<T> importing) {
        try {
            return importing.get();
        } catch (ApiException refused) {
            if (refused.field() != null || !refused.extensions().containsKey("line")) {
                throw refused;
            }
            throw new ApiException(refused.errorCode(), refused.getMessage(), field, refused.extensions());
        }
    }

    private static String utf8(CompletedFileUpload file) {
        return Uploads.utf8(file)
                .orElseThrow(() -> new ApiException(
                        ErrorCode.INVALID_DOTENV, "The file " + file.getFilename() + " is not UTF-8 text.", FILE));
    }

    @Override
    public String toString() {
        return "DotenvInput[from " + field + ", text=redacted]";
    }
}
