package io.vaultgate.dotenv;

/**
 * The value of one key as it is read and expanded. Every append is checked against the limits
 * before it is made, so an oversized value is refused while it is still small, at the line of
 * its key. {@link #DISCARD} takes the text of a default that is not used: it is read for its
 * syntax, never stored.
 */
final class ExpandedValue {

    static final ExpandedValue DISCARD = new ExpandedValue();

    private final StringBuilder text;
    private final String key;
    private final int keyLine;
    private final DotenvLimits limits;
    /** Bytes of the names and values read before this value, this key's name included. */
    private final long fileBytesBefore;

    private long bytes;

    ExpandedValue(String key, int keyLine, DotenvLimits limits, long fileBytesBefore) {
        this.text = new StringBuilder();
        this.key = key;
        this.keyLine = keyLine;
        this.limits = limits;
        this.fileBytesBefore = fileBytesBefore;
        grow(0);
    }

    private ExpandedValue() {
        this.text = null;
        this.key = null;
        this.keyLine = 0;
        this.limits = null;
        this.fileBytesBefore = 0;
    }

    /** False for {@link #DISCARD}: references in a default that is not used are checked, not resolved. */
    boolean keeps() {
        return text != null;
    }

    void append(char c) {
        if (keeps()) {
            grow(utf8Length(c));
            text.append(c);
        }
    }

    void append(CharSequence chars, int start, int end) {
        if (keeps()) {
            // A UTF-16 unit is at least one byte of UTF-8: a run too long in units is too long in
            // bytes, and is refused without counting it.
            int units = end - start;
            grow(bytes + units > limits.valueBytes() ? units : utf8Length(chars, start, end));
            text.append(chars, start, end);
        }
    }

    void append(String chars) {
        append(chars, 0, chars.length());
    }

    /** Bytes of UTF-8 this value holds. */
    long bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return keeps() ? text.toString() : "";
    }

    private void grow(long more) {
        if (bytes + more > limits.valueBytes()) {
            throw new DotenvException(
                    keyLine,
                    DotenvException.Kind.VALUE_TOO_LARGE,
                    "the value of " + key
                            + " grows past " + limits.valueBytes()
                            + " bytes of UTF-8 as it is expanded; a value holds at most "
                            + limits.valueBytes() + " bytes.");
        }
        if (fileBytesBefore + bytes + more > limits.totalBytes()) {
            throw new DotenvException(
                    keyLine,
                    DotenvException.Kind.TOTAL_TOO_LARGE,
                    "the names and expanded values"
                            + " of the file grow past " + limits.totalBytes() + " bytes of UTF-8 at the value of " + key
                            + "; a file holds at most " + limits.totalBytes()
                            + " bytes, counting a key given twice twice.");
        }
        bytes += more;
    }

    private static long utf8Length(CharSequence chars, int start, int end) {
        long length = 0;
        for (int i = start; i < end; i++) {
            length += utf8Length(chars.charAt(i));
        }
        return length;
    }

    /** A surrogate counts 2: a pair is one 4-byte character. */
    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800 || Character.isSurrogate(c)) {
            return 2;
        }
        return 3;
    }
}
