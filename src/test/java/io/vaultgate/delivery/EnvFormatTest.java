package io.vaultgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.web.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvFormatTest {

    /** Values a shell or a dotenv reader could get wrong. */
    static SortedMap<String, String> hostile() {
        SortedMap<String, String> values = new TreeMap<>();
        values.put("SINGLE", "it's 'quoted'");
        values.put("DOUBLE", "say \"hi\"");
        values.put("DOLLAR", "$HOME ${PATH} $(id) $((1+1))");
        values.put("BACKTICK", "`id` and \\`");
        values.put("BACKSLASH", "C:\\Users\\n\\\\ end\\");
        values.put("NEWLINES", "line1\nline2\r\nline3\n\n");
        values.put("UNICODE", "héllo wörld ✓ 😀 \u00a0 \u2028");
        values.put("EMPTY", "");
        values.put("SPACES", "  leading and trailing  ");
        values.put("HASH", "abc#not a comment # either");
        values.put("MIXED", "'\"`$\\\n'\\''");
        values.put("EQUALS", "a=b=c;d&e|f>g<h");
        return values;
    }

    @Test
    void shellLinesAreExportsInSingleQuotes() {
        assertThat(EnvFormat.shell(new TreeMap<>(Map.of("A", "plain", "B", "it's"))))
                .isEqualTo("export A='plain'\nexport B='it'\\''s'\n");
    }

    @Test
    void shellOutputEvaluatedBySlashBinShReproducesEveryValueByteForByte() throws Exception {
        SortedMap<String, String> values = hostile();
        Path dir = Files.createTempDirectory("vaultgate-shell");
        assertThat(evalInSh(EnvFormat.SHELL.render(values), values.keySet(), dir))
                .isEqualTo(values);
    }

    /** Evaluates {@code script} in /bin/sh and writes each variable's bytes to a file, then reads them back. */
    static Map<String, String> evalInSh(String script, java.util.Set<String> keys, Path dir) throws Exception {
        Path env = dir.resolve("env.sh");
        Files.writeString(env, script, StandardCharsets.UTF_8);
        StringBuilder dump = new StringBuilder("eval \"$(cat \"$1\")\"\n");
        for (String key : keys) {
            dump.append("printf '%s' \"$")
                    .append(key)
                    .append("\" > \"$2/")
                    .append(key)
                    .append(".out\"\n");
        }
        Process sh = new ProcessBuilder("/bin/sh", "-c", dump.toString(), "sh", env.toString(), dir.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(output).isZero();
        Map<String, String> read = new TreeMap<>();
        for (String key : keys) {
            read.put(key, new String(Files.readAllBytes(dir.resolve(key + ".out")), StandardCharsets.UTF_8));
        }
        return read;
    }

    @Test
    void dotenvOutputParsesBackToTheSameValues() {
        SortedMap<String, String> values = hostile();
        assertThat(Dotenv.parse(EnvFormat.DOTENV.render(values))).isEqualTo(values);
    }

    @Test
    void jsonIsAnObjectOfKeyToValue() throws IOException {
        SortedMap<String, String> values = hostile();
        Map<?, ?> parsed =
                new com.fasterxml.jackson.databind.ObjectMapper().readValue(EnvFormat.JSON.render(values), Map.class);
        assertThat(parsed).isEqualTo(values);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "json   | text/x-shellscript     | JSON",
                "shell  | null                   | SHELL",
                "dotenv | null                   | DOTENV",
                "null   | null                   | JSON",
                "null   | */*                    | JSON",
                "null   | application/json       | JSON",
                "null   | text/x-dotenv          | DOTENV",
                "null   | text/plain             | DOTENV",
                "null   | text/x-shellscript     | SHELL",
                "null   | application/x-sh       | SHELL",
                "null   | 'text/x-shellscript;q=0.5, application/json' | JSON",
                "null   | 'image/png, text/x-shellscript'              | SHELL",
            })
    void formatComesFromTheParameterThenAccept(String format, String accept, EnvFormat expected) {
        assertThat(EnvFormat.negotiate(format, accept)).isEqualTo(expected);
    }

    @Test
    void unknownFormatsAreRefused() {
        assertThatThrownBy(() -> EnvFormat.negotiate("yaml", null))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("json, dotenv or shell");
        assertThatThrownBy(() -> EnvFormat.negotiate(null, "image/png"))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).errorCode().code())
                .isEqualTo("not-acceptable");
    }
}
