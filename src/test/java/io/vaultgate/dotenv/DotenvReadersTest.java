package io.vaultgate.dotenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.testing.property.Seeds;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link Dotenv#write} writes, read by the readers people use: dotenvx, the npm dotenv package
 * (16, 17 and 18) and python-dotenv, with interpolation (its default, as {@code load_dotenv()}
 * reads) and without, besides this parser. Each of them is one child process reading one file
 * that holds every value of this class: the hostile ones named below and a batch of seeded random
 * ones. {@code scripts/test-services.sh} installs the readers, at the versions pinned in
 * {@code scripts/dotenv-readers}, into {@code .cache/dotenv-readers} ({@code -Ddotenv.readers=DIR}
 * reads them from elsewhere); when they are missing, every test here fails and says so.
 */
class DotenvReadersTest {

    enum Reader {
        VAULTGATE(null, null),
        DOTENVX("read.js", "@dotenvx/dotenvx"),
        NPM_DOTENV_16("read.js", "dotenv-16"),
        NPM_DOTENV_17("read.js", "dotenv-17"),
        NPM_DOTENV_18("read.js", "dotenv-18"),
        PYTHON_DOTENV("read.py", "literal"),
        PYTHON_DOTENV_INTERPOLATING("read.py", "interpolate");

        private final String script;
        private final String argument;

        Reader(String script, String argument) {
            this.script = script;
            this.argument = argument;
        }

        boolean onNode() {
            return "read.js".equals(script);
        }
    }

    private static final Set<Reader> NPM_DOTENV =
            EnumSet.of(Reader.NPM_DOTENV_16, Reader.NPM_DOTENV_17, Reader.NPM_DOTENV_18);
    private static final Set<Reader> PYTHON_DOTENV =
            EnumSet.of(Reader.PYTHON_DOTENV, Reader.PYTHON_DOTENV_INTERPOLATING);

    /** Values a reader could get wrong that have a form every reader reads back. */
    private static final Map<String, String> PORTABLE = entries(
            "QUOTE_AT_A_LINE_END", "a quote ends this line\"\nand more",
            "BACKSLASHES", "C:\\Users\\new\\table \\x41 \\u00e9",
            "DOUBLE_BACKSLASHES", "\\\\server\\share\\\\",
            "TRAILING_BACKSLASH", "ends with a backslash \\",
            "BACKSLASH_LETTERS", "a\\nb \\t \\r \\a \\b \\f \\v \\\" \\$",
            "NEWLINES", "line 1\nline 2\n\nline 4\n",
            "PEM", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg+kqhkiG9w0BAQ==\n-----END PRIVATE KEY-----\n",
            "CARRIAGE_RETURNS", "a\rb\r\nc\r",
            "TABS", "\tbefore, inside\tand after\t",
            "SINGLE_QUOTES", "it's 'quoted'",
            "DOUBLE_QUOTES", "say \"hi\" \"\"",
            "BOTH_QUOTES", "it's \"both\"",
            "BACKTICKS", "`id` and \\` and ``",
            "DOLLARS", "$HOME $5 $ $$ $(echo pwned) $((1+1)) \\$X",
            "HASHES", "#first abc#1 and # after a blank",
            "BLANKS", "  leading and trailing  ",
            "EQUALS", "a=b==c= ",
            "EMPTY", "",
            "NON_ASCII", "héllo wörld ✓ 😀 🔐 日本語",
            "RIGHT_TO_LEFT", "שלום עולם مرحبا \u200f!",
            "UNICODE_SPACES", "\u00a0no-break\u2028line separator\u2029\u0085\ufeff\u3000",
            "QUOTE_AND_DOLLAR", "it's $5",
            "QUOTE_AND_BACKSLASH_N", "it's C:\\new",
            "QUOTE_AND_HASH", "it's #1",
            "QUOTE_AND_NEWLINE", "it's\nfine\n",
            "QUOTE_AND_CARRIAGE_RETURN", "it's\r\n");

    /** A value that no form lets every reader read back, and what the readers that differ read. */
    record Gap(String key, String value, String readAs, Set<Reader> by) {
        @Override
        public String toString() {
            return key;
        }
    }

    /**
     * The values of Dotenv.write's rules 4 and 5, one of each kind its Javadoc names. They are
     * written first, the one ending with a backslash last, right before the portable values, the
     * first of which has a line ending with a quote: npm dotenv and dotenvx would read on into it
     * if the writer let them.
     */
    private static final List<Gap> WITHOUT_PORTABLE_FORM = List.of(
            new Gap("QUOTES_ON_TWO_LINES", "it's\n\"both\"", "it\\'s\n\"both\"", NPM_DOTENV),
            new Gap("QUOTE_AND_REFERENCE", "it's $HOME", "it\\'s $HOME", NPM_DOTENV),
            new Gap("QUOTES_AND_BLANKS", " it's \"both\" ", " it\\'s \"both\" ", NPM_DOTENV),
            new Gap("DOUBLE_BACKSLASH_ON_TWO_LINES", "\\\\server\nshare", "\\server\nshare", PYTHON_DOTENV),
            new Gap("BACKSLASH_QUOTE_ON_TWO_LINES", "it\\'s\n", "it's\n", PYTHON_DOTENV),
            new Gap("CARRIAGE_RETURN_AND_REFERENCE", "$HOME\r", "\\$HOME\r", union(NPM_DOTENV, PYTHON_DOTENV)),
            new Gap(
                    "CARRIAGE_RETURN_AND_DOUBLE_QUOTE",
                    "say \"hi\"\r",
                    "say \\\"hi\\\"\r",
                    union(NPM_DOTENV, EnumSet.of(Reader.DOTENVX))),
            new Gap(
                    "TRAILING_BACKSLASH_ON_TWO_LINES",
                    "line\nends with \\",
                    "line\nends with \\\\",
                    union(NPM_DOTENV, EnumSet.of(Reader.DOTENVX))));

    private static final String BRACED_REFERENCES = "${HOME}/bin or ${X:-default}";
    private static final String ENCRYPTED = "encrypted:BDb7t3QkTRp2";
    private static final int RANDOM_VALUES = 1000;

    private static final Map<Reader, Map<String, String>> READ = new EnumMap<>(Reader.class);
    private static final Map<Reader, String> VERSIONS = new EnumMap<>(Reader.class);
    private static final Map<String, String> WRITTEN = new LinkedHashMap<>();
    private static long seed;
    private static String file;

    @BeforeAll
    static void writeOneFileAndReadItWithEveryReader(@TempDir Path dir) throws Exception {
        WITHOUT_PORTABLE_FORM.forEach(gap -> WRITTEN.put(gap.key(), gap.value()));
        PORTABLE.forEach(WRITTEN::put);
        WRITTEN.put("BRACED_REFERENCES", BRACED_REFERENCES);
        seed = Seeds.one();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < RANDOM_VALUES; i++) {
            WRITTEN.put("RANDOM_%04d".formatted(i), DotenvInputs.readerValue(random));
        }
        // This parser refuses the whole file for this one value (see aValueBeginningWithEncrypted...).
        READ.put(Reader.VAULTGATE, Dotenv.parse(Dotenv.write(WRITTEN)));
        WRITTEN.put("ENCRYPTED", ENCRYPTED);
        file = Dotenv.write(WRITTEN);
        Path env = Files.writeString(dir.resolve(".env"), file, StandardCharsets.UTF_8);
        for (Reader reader : EnumSet.complementOf(EnumSet.of(Reader.VAULTGATE))) {
            read(reader, env, dir.resolve(reader + ".json"));
        }
    }

    static Stream<String> portable() {
        return PORTABLE.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portable")
    void aValueWithAPortableFormReadsBackTheSameInEveryReader(String key) {
        String value = PORTABLE.get(key);

        assertThat(ValueQuoting.quote(value).portable())
                .as("%s has a portable form", key)
                .isTrue();
        for (Reader reader : Reader.values()) {
            assertThat(READ.get(reader).get(key))
                    .as("%s read by %s", key, name(reader))
                    .isEqualTo(value);
        }
    }

    static List<Gap> withoutPortableForm() {
        return WITHOUT_PORTABLE_FORM;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutPortableForm")
    void aValueWithNoPortableFormReadsBackHereAndDiffersOnlyInTheReadersItsRuleNames(Gap gap) {
        assertThat(ValueQuoting.quote(gap.value()).portable())
                .as("%s has a portable form", gap)
                .isFalse();
        for (Reader reader : Reader.values()) {
            assertThat(READ.get(reader).get(gap.key()))
                    .as("%s read by %s", gap, name(reader))
                    .isEqualTo(gap.by().contains(reader) ? gap.readAs() : gap.value());
        }
    }

    @Test
    void pythonDotenvExpandsABracedReferenceEvenInSingleQuotesWhenItInterpolatesAndNoOtherReaderDoes() {
        assertThat(Dotenv.write(Map.of("K", BRACED_REFERENCES))).isEqualTo("K='" + BRACED_REFERENCES + "'\n");
        for (Reader reader : Reader.values()) {
            assertThat(READ.get(reader).get("BRACED_REFERENCES"))
                    .as(name(reader))
                    .isEqualTo(reader == Reader.PYTHON_DOTENV_INTERPOLATING ? "/bin or default" : BRACED_REFERENCES);
        }
    }

    @Test
    void aValueBeginningWithEncryptedIsReadBackByTheOtherReadersAndRefusedHere() {
        for (Reader reader : EnumSet.complementOf(EnumSet.of(Reader.VAULTGATE))) {
            assertThat(READ.get(reader).get("ENCRYPTED")).as(name(reader)).isEqualTo(ENCRYPTED);
        }
        assertThatThrownBy(() -> Dotenv.parse(file))
                .isInstanceOf(DotenvException.class)
                .hasMessageContaining("ENCRYPTED")
                .hasMessageContaining("dotenvx-encrypted");
    }

    @Test
    void everyReaderReadsExactlyTheKeysWrittenSoThatNoValueSpillsIntoTheNextKey() {
        for (Reader reader : Reader.values()) {
            Set<String> expected =
                    reader == Reader.VAULTGATE ? without(WRITTEN.keySet(), "ENCRYPTED") : WRITTEN.keySet();
            assertThat(READ.get(reader).keySet()).as(name(reader)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void randomValuesWithAPortableFormReadBackTheSameInEveryReaderAndTheOthersHere() {
        List<String> misread = new ArrayList<>();
        int portable = 0;
        for (int i = 0; i < RANDOM_VALUES; i++) {
            String key = "RANDOM_%04d".formatted(i);
            String value = WRITTEN.get(key);
            boolean isPortable = ValueQuoting.quote(value).portable();
            portable += isPortable ? 1 : 0;
            for (Reader reader : Reader.values()) {
                // python-dotenv's interpolation is the one exception no form avoids (see Dotenv.write).
                boolean expands = reader == Reader.PYTHON_DOTENV_INTERPOLATING && value.contains("${");
                boolean mustReadBack = reader == Reader.VAULTGATE || isPortable && !expands;
                if (mustReadBack && !value.equals(READ.get(reader).get(key))) {
                    misread.add(key + " " + Seeds.describe(value) + " written as "
                            + Seeds.describe(ValueQuoting.quote(value).text()) + ", read by " + name(reader) + " as "
                            + Seeds.describe(READ.get(reader).get(key)));
                }
            }
        }

        assertThat(misread.stream().limit(10).toList())
                .as(
                        "seed %d (run it again with -D%s=%d): %d misread, the first",
                        seed, Seeds.RERUN_PROPERTY, seed, misread.size())
                .isEmpty();
        assertThat(portable)
                .as("values with a portable form among the random ones")
                .isBetween(1, RANDOM_VALUES - 1);
    }

    private static void read(Reader reader, Path env, Path out) throws IOException, InterruptedException {
        Path readers = Path.of(System.getProperty("dotenv.readers", ".cache/dotenv-readers"))
                .toAbsolutePath();
        Path library = reader.onNode() ? readers.resolve("node/node_modules") : readers.resolve("python");
        Path installed = reader.onNode()
                ? library.resolve(reader.argument).resolve("package.json")
                : library.resolve("dotenv/__init__.py");
        if (!Files.isRegularFile(installed)) {
            fail("The dotenv readers are not installed: " + installed
                    + " is missing. Run bash scripts/test-services.sh,"
                    + " which installs the versions pinned in scripts/dotenv-readers into .cache/dotenv-readers.");
        }
        List<String> command = reader.onNode()
                ? List.of("node", script(reader), library.toString(), reader.argument, env.toString(), out.toString())
                : List.of(
                        "python3",
                        "-I",
                        script(reader),
                        library.toString(),
                        env.toString(),
                        out.toString(),
                        reader.argument);
        Path log = out.resolveSibling(reader + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // References python-dotenv expands resolve against its environment: keep it to PATH.
        builder.environment().keySet().retainAll(Set.of("PATH"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(
                    command.get(0) + " cannot be run (" + e.getMessage() + "). Run bash"
                            + " scripts/test-services.sh, which installs Node.js and Python when they are missing.",
                    e);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(reader + " failed: " + String.join(" ", command) + "\n" + Seeds.describe(Files.readString(log)));
        }
        Map<String, Object> result = new ObjectMapper().readValue(out.toFile(), new TypeReference<>() {});
        VERSIONS.put(reader, (String) result.get("version"));
        @SuppressWarnings("unchecked")
        Map<String, String> values = (Map<String, String>) result.get("values");
        READ.put(reader, values);
    }

    private static String script(Reader reader) {
        try {
            return Path.of(DotenvReadersTest.class
                            .getResource("/dotenv-readers/" + reader.script)
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String name(Reader reader) {
        return reader == Reader.VAULTGATE ? "this parser" : reader + " " + VERSIONS.get(reader);
    }

    private static Map<String, String> entries(String... keysAndValues) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            entries.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return entries;
    }

    private static Set<Reader> union(Set<Reader> some, Set<Reader> others) {
        Set<Reader> union = EnumSet.copyOf(some);
        union.addAll(others);
        return union;
    }

    private static Set<String> without(Set<String> keys, String key) {
        Set<String> rest = new LinkedHashSet<>(keys);
        rest.remove(key);
        return rest;
    }
}
