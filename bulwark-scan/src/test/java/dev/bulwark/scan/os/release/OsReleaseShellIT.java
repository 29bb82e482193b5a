package dev.bulwark.scan.os.release;

import dev.bulwark.image.testenv.TestComponents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * os-release is meant to be sourced by shell scripts: whatever the quoting, Bulwark must read the values /bin/sh
 * reads. Random values are written in random quoting styles, sourced by sh, and compared.
 */
class OsReleaseShellIT {
    private static final String ALPHABET = "abcXYZ019 \t\n\r-_.,:;=+/#~!?*@%^&()[]{}<>|\"'`$\\éü日本";

    @Provide
    Arbitrary<List<String>> values() {
        return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(24).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Integer>> styles() {
        return Arbitraries.integers().between(0, 2).list().ofSize(20);
    }

    @Property(tries = 40)
    void sameValuesAsTheShell(@ForAll("values") List<String> values, @ForAll("styles") List<Integer> styles) throws Exception {
        Path sh = TestComponents.requireTool("sh");
        Path file = Files.createTempFile("os-release", "");
        try {
            StringBuilder text = new StringBuilder("# written by OsReleaseShellIT\n");
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                text.append("V").append(i).append('=').append(quote(v, styles.get(i))).append('\n');
                expected.put("V" + i, v);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(sh.toString(), "-c", ". \"$1\"; shift; for k; do eval \"printf '%s\\\\0' \\\"\\$$k\\\"\"; done", "sh", file.toString()));
            cmd.addAll(expected.keySet());
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(text.toString()).isZero();
            String[] fromShell = out.split("\0", -1);
            Map<String, String> parsed = KeyValues.parse(Files.readString(file));
            int i = 0;
            for (String key : expected.keySet()) {
                assertThat(fromShell[i]).as("the shell's %s (sanity check of the quoting)", key).isEqualTo(expected.get(key));
                assertThat(parsed.get(key)).as("%s in\n%s", key, text).isEqualTo(fromShell[i]);
                i++;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** 0: double quotes, 1: single quotes (a ' closes, is escaped, and reopens), 2: unquoted with backslashes. */
    static String quote(String v, int style) {
        StringBuilder b = new StringBuilder();
        if (style == 2 && !v.contains("\n")) {
            for (char c : v.toCharArray()) {
                if (!Character.isLetterOrDigit(c)) b.append('\\');
                b.append(c);
            }
            return b.toString();
        }
        if (style == 1) return "'" + v.replace("'", "'\\''") + "'";
        b.append('"');
        for (char c : v.toCharArray()) {
            if ("$`\"\\".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.append('"').toString();
    }
}
