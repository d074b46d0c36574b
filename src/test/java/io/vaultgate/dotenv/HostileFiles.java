package io.vaultgate.dotenv;

/** .env files built to hurt a parser, shared by the parser's tests and the import's. */
public final class HostileFiles {

    private HostileFiles() {}

    /**
     * 40 lines, each value the previous one twice ({@code A1=${A0}${A0}}): 648 bytes whose last
     * value would be 10 * 2^39 bytes if expanded without a limit. A13 is the first value past
     * 64 KiB (81,920 bytes), on line 14.
     */
    public static String doublingValues() {
        StringBuilder file = new StringBuilder("A0=xxxxxxxxxx\n");
        for (int n = 1; n <= 39; n++) {
            file.append('A')
                    .append(n)
                    .append("=${A")
                    .append(n - 1)
                    .append("}${A")
                    .append(n - 1)
                    .append("}\n");
        }
        return file.toString();
    }
}
