package io.vaultgate.dotenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.dotenv.DotenvException.Kind;
import io.vaultgate.scope.KeyNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DotenvTest {

    private static final String CANARY = "canary-7f3a-sekret";

    static Stream<Arguments> filesAndWhatTheyHold() {
        return Stream.of(
                // lines
                read("A=1\nB=2", "A", "1", "B", "2"),
                read("A=1\n\n   \n# comment\n  # indented comment\nB=2\n", "A", "1", "B", "2"),
                read("export A=1\nexport\tB=2\n  export   C=3", "A", "1", "B", "2", "C", "3"),
                read("A = spaced\nB\t=\ttabbed", "A", "spaced", "B", "tabbed"),
                read("\uFEFFA=bom", "A", "bom"),
                read("A=1\r\nB=\"x\r\ny\"\r\nC=3\rD=4", "A", "1", "B", "x\ny", "C", "3", "D", "4"),
                read("A=first\nB=x\nA=last", "A", "last", "B", "x"),
                read("", new String[0]),
                read("# only a comment", new String[0]),
                read(
                        "EXPORT_ME=export is only a prefix before a blank",
                        "EXPORT_ME",
                        "export is only a prefix before a blank"),
                // unquoted values
                read("A=  trimmed  ", "A", "trimmed"),
                read("A=", "A", ""),
                read("A=a  b", "A", "a  b"),
                read("P=abc#1", "P", "abc#1"),
                read("P=abc #1", "P", "abc"),
                read("P=abc\t#1", "P", "abc"),
                read("P=#1", "P", "#1"),
                read("P= #1", "P", ""),
                read("A=b=c==", "A", "b=c=="),
                read("A=it's \"fine\"", "A", "it's \"fine\""),
                read("A=back\\slash\\n", "A", "back\\slash\\n"),
                read("A=\\$LITERAL", "A", "$LITERAL"),
                read("A=costs $5, $ and $", "A", "costs $5, $ and $"),
                // single quotes
                read("A='$B ${C} $(d) #e \\n'", "A", "$B ${C} $(d) #e \\n"),
                read("A='it\\'s'", "A", "it's"),
                read("A='  spaces  '", "A", "  spaces  "),
                read("A='multi\nline'\nB=2", "A", "multi\nline", "B", "2"),
                read("A=''", "A", ""),
                read("A='x' # comment", "A", "x"),
                read("A='x'#comment", "A", "x"),
                // double quotes and escapes
                read("A=\"a\\nb\\tc\\rd\"", "A", "a\nb\tc\rd"),
                read("A=\"say \\\"hi\\\"\"", "A", "say \"hi\""),
                read("A=\"one \\\\ two\"", "A", "one \\ two"),
                read("A=\"\\\\n is a backslash and n\"", "A", "\\n is a backslash and n"),
                read("A=\"\\$HOME\"", "A", "$HOME"),
                read("A=\"C:\\Users\\x41\"", "A", "C:\\Users\\x41"),
                read("A=\"# not a comment\"", "A", "# not a comment"),
                read("A=\"multi\nline\n\"", "A", "multi\nline\n"),
                read("A=\"trailing backslash \\\\\"", "A", "trailing backslash \\"),
                // backticks
                read("A=`'single' \"double\"`", "A", "'single' \"double\""),
                read("A=`a \\` b`", "A", "a \\` b"),
                read("A=`\\n`", "A", "\\n"),
                read("H=h\nA=`$H`", "H", "h", "A", "h"),
                // interpolation
                read("U=app\nA=$U@${U}", "U", "app", "A", "app@app"),
                read("U=app\nA=\"${U}\"", "U", "app", "A", "app"),
                read("A=${MISSING:-fallback}", "A", "fallback"),
                read("A=${MISSING-fallback}", "A", "fallback"),
                read("E=\nA=${E:-used}\nB=${E-unused}", "E", "", "A", "used", "B", ""),
                read("U=x\nA=${U:+alt}\nB=${MISSING:+alt}\nC=${U+plus}", "U", "x", "A", "alt", "B", "", "C", "plus"),
                read("B=bee\nA=${MISSING:-${B}}", "B", "bee", "A", "bee"),
                read("A=${MISSING:-${ALSO_MISSING:-deep}}", "A", "deep"),
                read("U=x\nA=${U:-$UNDEFINED_BUT_UNUSED}", "U", "x", "A", "x"),
                read("U=x\nA=\"${MISSING:-a \\\"quoted\\\" default}\"", "U", "x", "A", "a \"quoted\" default"),
                read("D=$1\nU=a\nE=$U$U", "D", "$1", "U", "a", "E", "aa"),
                read("S='$NOT_EXPANDED'\nA=$S", "S", "$NOT_EXPANDED", "A", "$NOT_EXPANDED"),
                read("A=1\nA=${A}2\nA=${A}3", "A", "123"),
                read("U=  spaced  \nA=$U", "U", "spaced", "A", "spaced"),
                read("Q=\"  spaced  \"\nA=$Q", "Q", "  spaced  ", "A", "  spaced  "),
                read("A=\\$(not run)", "A", "$(not run)"));
    }

    @ParameterizedTest
    @MethodSource("filesAndWhatTheyHold")
    void readsDotenvxSyntaxWithTheDesignsDeviations(String file, Map<String, String> expected) {
        assertThat(Dotenv.parse(file)).containsExactlyEntriesOf(expected);
    }

    static Stream<Arguments> filesThatAreRefused() {
        return Stream.of(
                refused("A=1\nNO_EQUALS_SIGN\nC=3", 2, "no '='"),
                refused("A=1\nexport B", 2, "no '='"),
                refused("A=1\nB : 2", 2, "no '='"),
                refused("lower=1", 1, "column 1"),
                refused("GOOD=1\nBAD.NAME=1", 2, "column 4"),
                refused("1ABC=1", 1, "starts with a digit"),
                refused("=1", 1, "no name"),
                refused("A".repeat(257) + "=1", 1, "longer than 256"),
                refused("A=1\nB=\"never closed\nC=3", 2, "never closed"),
                refused("A='never closed", 1, "never closed"),
                refused("A=`never closed", 1, "never closed"),
                refused("A=\"ends with an escaped quote\\\"", 1, "never closed"),
                refused("A=\"x\" trailing", 1, "after the closing quote"),
                refused("A=$UNDEFINED", 1, "no earlier line defines"),
                refused("A=\"x ${UNDEFINED}\"", 1, "no earlier line defines"),
                refused("A=`$UNDEFINED`", 1, "no earlier line defines"),
                refused("A=$B\nB=1", 1, "no earlier line defines"),
                refused("PATH=$PATH:/bin", 1, "no earlier line defines"),
                refused("HOME=${HOME}", 1, "no earlier line defines"),
                refused("A=\"multi\nline $UNDEFINED\"", 2, "column 6"),
                refused("A=$(echo pwned)", 1, "command substitution"),
                refused("A=\"x $(echo pwned)\"", 1, "command substitution"),
                refused("A=`$(echo pwned)`", 1, "command substitution"),
                refused("A=${MISSING:-$(echo pwned)}", 1, "command substitution"),
                refused("A=encrypted:BDb7t", 1, "encrypted"),
                refused("A=\"encrypted:BDb7t\"", 1, "encrypted"),
                refused("A='encrypted:BDb7t'", 1, "encrypted"),
                refused("A=${}", 1, "malformed"),
                refused("A=${1X}", 1, "malformed"),
                refused("A=${X Y}", 1, "malformed"),
                refused("A=${X", 1, "malformed"),
                refused("A=${X:-unclosed", 1, "no closing '}'"),
                refused("A=\"${X:-unclosed\"", 1, "no closing '}'"),
                refused("A=${X:-a #b}", 1, "no closing '}'"),
                refused("A=" + "${X:-".repeat(17) + "}".repeat(17), 1, "nested more than 16"));
    }

    @ParameterizedTest
    @MethodSource("filesThatAreRefused")
    void refusesTheWholeFileAtTheFirstBadLine(String file, int line, String why) {
        assertThatThrownBy(() -> Dotenv.parse(file)).isInstanceOfSatisfying(DotenvException.class, e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.getMessage()).startsWith("Line " + line + ": ").contains(why);
        });
    }

    @Test
    @Timeout(10) // a hang guard: unbounded, this file expands to 10 * 2^39 bytes
    void valueIsBoundedWhileExpanding() {
        // A13 is the first value past 64 KiB: 10 * 2^13 = 81,920 bytes.
        assertRefused(
                HostileFiles.doublingValues(), DotenvLimits.DEFAULTS, Kind.VALUE_TOO_LARGE, 14, "A13", "65536 bytes");
    }

    @Test
    void aLongValueIsRefusedAtItsLineHoweverItIsQuoted() {
        DotenvLimits limits = new DotenvLimits(16, 1_000, 10);
        String tooLong = "x".repeat(17);

        assertRefused("A=1\nB='" + tooLong + "'", limits, Kind.VALUE_TOO_LARGE, 2, "B", "16 bytes");
        assertRefused("A=1\nB=\"" + tooLong + "\"", limits, Kind.VALUE_TOO_LARGE, 2, "B", "16 bytes");
        assertRefused("A=1\nB=`" + tooLong + "`", limits, Kind.VALUE_TOO_LARGE, 2, "B", "16 bytes");
        assertRefused("A=1\nB=" + tooLong, limits, Kind.VALUE_TOO_LARGE, 2, "B", "16 bytes");
        assertRefused("A=1\nB='multi\nline\n" + tooLong + "'", limits, Kind.VALUE_TOO_LARGE, 2, "B", "16 bytes");
    }

    @Test
    void aValueThatJustFitsIsReadAndOneByteMoreIsNot() {
        DotenvLimits limits = new DotenvLimits(16, 1_000, 10);
        String eightBytes = "\u00e9\u00e9\u00e9\u00e9"; // each é is two bytes of UTF-8

        assertThat(Dotenv.parse("A=" + eightBytes + "\nB=${A}${A}", limits)).containsEntry("B", eightBytes.repeat(2));
        assertThat(Dotenv.parse("A='" + "x".repeat(16) + "'", limits)).containsEntry("A", "x".repeat(16));
        assertThat(Dotenv.parse("A=\"\\$" + "x".repeat(15) + "\"", limits)).containsEntry("A", "$" + "x".repeat(15));
        assertThat(Dotenv.parse("A=" + "\uD83D\uDD10".repeat(4), limits)).containsEntry("A", "\uD83D\uDD10".repeat(4));
        assertRefused("A=" + eightBytes + "\nB=${A}${A}x", limits, Kind.VALUE_TOO_LARGE, 2, "B", "16 bytes");
        assertRefused("A=" + "\uD83D\uDD10".repeat(4) + "x", limits, Kind.VALUE_TOO_LARGE, 1, "A", "16 bytes");
    }

    @Test
    void trailingBlanksTrimmedFromAnUnquotedValueDoNotCount() {
        DotenvLimits limits = new DotenvLimits(16, 1_000, 10);

        assertThat(Dotenv.parse("A=" + "x".repeat(16) + " \t ".repeat(100) + "# comment", limits))
                .containsEntry("A", "x".repeat(16));
        assertRefused("A=" + "x".repeat(15) + "  y", limits, Kind.VALUE_TOO_LARGE, 1, "A", "16 bytes");
    }

    @Test
    void theWholeFileIsBoundedWhileExpandingCountingAKeyGivenTwiceTwice() {
        DotenvLimits limits = new DotenvLimits(16, 40, 10);
        String tenBytes = "x".repeat(10);

        // Each line is 1 byte of name and 10 of value: the fourth takes the file to 44 bytes.
        assertThat(Dotenv.parse("A=" + tenBytes + "\nB=$A\nC=$A", limits)).hasSize(3);
        assertRefused("A=" + tenBytes + "\nB=$A\nC=$A\nD=$A", limits, Kind.TOTAL_TOO_LARGE, 4, "D", "40 bytes");
        assertRefused("A=" + tenBytes + "\nA=$A\nA=$A\nA=$A", limits, Kind.TOTAL_TOO_LARGE, 4, "A", "40 bytes");
    }

    @Test
    void keysAreCountedAsTheyAreAddedAndAKeyGivenAgainIsNotANewOne() {
        StringBuilder file = new StringBuilder();
        for (int i = 1; i <= 5_000; i++) {
            file.append('K').append(i).append("=v\n");
        }
        file.append("K1=again\n");

        assertThat(Dotenv.parse(file.toString())).hasSize(5_000).containsEntry("K1", "again");
        assertRefused(
                file + "\n# a comment\nK5001=v\n",
                DotenvLimits.DEFAULTS,
                Kind.TOO_MANY_KEYS,
                5_004,
                "K5001",
                "5000 keys");
    }

    @Test
    void aDefaultCountsAgainstTheValueAsItGrowsAndAnUnusedOneDoesNot() {
        DotenvLimits limits = new DotenvLimits(16, 1_000, 10);
        String tenBytes = "x".repeat(10);

        assertThat(Dotenv.parse("B=" + tenBytes + "\nS=set\nA=${S:-${B}${B}}\nP=${MISSING+${B}${B}}", limits))
                .containsEntry("A", "set")
                .containsEntry("P", "");
        assertRefused("B=" + tenBytes + "\nA=${MISSING:-${B}${B}}", limits, Kind.VALUE_TOO_LARGE, 2, "A", "16 bytes");
        assertRefused(
                "B=" + tenBytes + "\nA=${B:+${MISSING:-${B}}}$B", limits, Kind.VALUE_TOO_LARGE, 2, "A", "16 bytes");
        assertRefused(
                "B=" + tenBytes + "\nA=\"${MISSING-ab}${B:+$B}$B\"", limits, Kind.VALUE_TOO_LARGE, 2, "A", "16 bytes");
    }

    @Test
    void limitsAreOneOrMore() {
        assertThatThrownBy(() -> new DotenvLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DotenvLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DotenvLimits(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsNameTheKeyButNeverQuoteAValue() {
        List<String> files = List.of(
                "K=\"" + CANARY + " never closed",
                "K=" + CANARY + "$UNDEFINED",
                "K=" + CANARY + "${BAD NAME}",
                "K=" + CANARY + "$(echo)",
                "K=\"" + CANARY + "\" " + CANARY,
                "K=encrypted:" + CANARY,
                "K=\"-----BEGIN-----\n" + CANARY + "\n$UNDEFINED\"",
                // a line that only looks like KEY=VALUE: base64 of a key pasted without quotes
                "CERT=-----BEGIN\n" + CANARY.replace('-', '+') + "=",
                "CERT=-----BEGIN\n" + CANARY);
        for (String file : files) {
            assertThatThrownBy(() -> Dotenv.parse(file))
                    .as(file)
                    .isInstanceOf(DotenvException.class)
                    .hasMessageNotContaining(CANARY)
                    .hasMessageNotContaining("sekret");
        }
        assertThatThrownBy(() -> Dotenv.parse("SOME_KEY=$UNDEFINED")).hasMessageContaining("SOME_KEY");
        DotenvLimits small = new DotenvLimits(CANARY.length(), 3 * CANARY.length(), 2);
        for (String file : List.of(
                "K='" + CANARY + "x'",
                "K=" + CANARY + "\nL=$K$K",
                "K=" + CANARY + "\nL=$K\nM=$K",
                "K=" + CANARY + "\nL=1\nM=${K}")) {
            assertThatThrownBy(() -> Dotenv.parse(file, small))
                    .as(file)
                    .isInstanceOf(DotenvException.class)
                    .hasMessageNotContaining(CANARY)
                    .hasMessageNotContaining("sekret");
        }
    }

    @Test
    void referencesNeverReadTheProcessEnvironment() {
        String name = System.getenv().keySet().stream()
                .filter(KeyNames::isValid)
                .findFirst()
                .orElseThrow();

        assertThatThrownBy(() -> Dotenv.parse("A=${" + name + "}")).isInstanceOf(DotenvException.class);
        assertThat(Dotenv.parse("A=${" + name + ":-file only}")).containsEntry("A", "file only");
    }

    static Stream<Arguments> valuesWithAPortableForm() {
        return Stream.of(
                // single quotes: no ', no carriage return, no \\, no trailing \
                written("a b # $HOME ${X} $(id) \"q\" `t`", "'a b # $HOME ${X} $(id) \"q\" `t`'"),
                written("one\ntwo", "'one\ntwo'"),
                written("C:\\Users\\new \\n", "'C:\\Users\\new \\n'"),
                written("", "''"),
                // double quotes: no ", no $NAME, no backslash that some reader takes as an escape
                written("it's $5 #1", "\"it's $5 #1\""),
                written("it's\r\nfine", "\"it's\\r\nfine\""),
                // unquoted: one line, no #, no $NAME, nothing a reader trims or strips
                written("it's \"both\"", "it's \"both\""),
                written("\\\\server\\share", "\\\\server\\share"),
                written("ends with \\", "ends with \\"),
                written("it's C:\\new", "it's C:\\new"),
                written("it's \"x\"\u2028'y", "it's \"x\"\u2028'y"));
    }

    @ParameterizedTest
    @MethodSource("valuesWithAPortableForm")
    void aValueIsWrittenInTheFirstFormThatEveryReaderReadsBack(String value, String written) {
        assertWrittenAsAndReadBack(value, written, true);
    }

    static Stream<Arguments> valuesWithNoPortableForm() {
        return Stream.of(
                // single quotes with \' where the value has no carriage return, no \' and no trailing \
                written("it's\n\"both\"", "'it\\'s\n\"both\"'"),
                written("\\\\server\nline", "'\\\\server\nline'"),
                written("it's \"x\"\u2028'y'", "'it\\'s \"x\"\u2028\\'y\\''"),
                // double quotes, escaping only what this parser needs, for the rest
                written("say \"hi\"\r", "\"say \\\"hi\\\"\\r\""),
                written(
                        "line\nends with \\",
                        "\"line\nends with \\\\\" # \"the value ends at the quote before this comment\""),
                written("it\\'s $HOME $5\n", "\"it\\'s \\$HOME $5\n\""));
    }

    @ParameterizedTest
    @MethodSource("valuesWithNoPortableForm")
    void aValueWithNoPortableFormIsWrittenSoThatThisParserStillReadsItBack(String value, String written) {
        assertWrittenAsAndReadBack(value, written, false);
    }

    private static void assertWrittenAsAndReadBack(String value, String written, boolean portable) {
        String file = Dotenv.write(Map.of("K", value));

        assertThat(file).isEqualTo("K=" + written + "\n");
        assertThat(ValueQuoting.quote(value).portable()).isEqualTo(portable);
        assertThat(Dotenv.parse(file)).containsExactly(Map.entry("K", value));
    }

    @Test
    void writingRefusesANameThatIsNotAVariableWithoutQuotingIt() {
        assertThatThrownBy(() -> Dotenv.write(Map.of("lower", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("lower");
    }

    @Test
    void aValueBeginningWithEncryptedIsWrittenButReadingItBackIsRefused() {
        String written = Dotenv.write(Map.of("K", "encrypted:abc"));

        assertThat(written).isEqualTo("K='encrypted:abc'\n");
        assertThatThrownBy(() -> Dotenv.parse(written)).hasMessageContaining("dotenvx-encrypted");
    }

    @Test
    @Timeout(20) // a guard against a quadratic scan, which would take hours here, not a measurement
    void aHugeLineOfDollarsAndBracesIsReadInLinearTime() {
        String hostile =
                "A='x'\nB=" + "$".repeat(300_000) + "\nC=\"" + "\\$".repeat(300_000) + "\"\nD=" + "{}".repeat(300_000);

        Map<String, String> parsed = Dotenv.parse(hostile, new DotenvLimits(1_000_000, 4_000_000, 10));

        assertThat(parsed.get("B")).hasSize(300_000);
        assertThat(parsed.get("C")).hasSize(300_000);
    }

    private static void assertRefused(String file, DotenvLimits limits, Kind kind, int line, String... named) {
        assertThatThrownBy(() -> Dotenv.parse(file, limits)).isInstanceOfSatisfying(DotenvException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.getMessage()).startsWith("Line " + line + ": ").contains(named);
        });
    }

    private static Arguments read(String file, String... keysAndValues) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            expected.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Arguments.of(file, expected);
    }

    private static Arguments written(String value, String written) {
        return Arguments.of(value, written);
    }

    private static Arguments refused(String file, int line, String why) {
        return Arguments.of(file, line, why);
    }
}
