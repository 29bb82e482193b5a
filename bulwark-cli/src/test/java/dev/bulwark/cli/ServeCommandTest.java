package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bulwark serve` and `serve token`: bad input is one line and a usage or input exit code; tokens round-trip. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        for (String[] args : new String[][]{
                {"serve", "--listen", "nowhere"}, {"serve", "--listen", "127.0.0.1:99999"}, {"serve", "--lease", "soon"},
                {"serve", "--workers", "-1"}, {"serve", "--worker-only", "--workers", "0"}, {"serve", "--tls-cert", "/x.pem"},
                {"serve", "--cors-origin", "*"}, {"serve", "token", "create", "--role", "boss"}}) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("bulwark: ").doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    void aStoreOfAnotherDatabaseIsRefusedInOneLine() {
        Run r = run("serve", "token", "list", "--store", "jdbc:mysql://127.0.0.1/x");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).contains("unsupported database URL").doesNotContain("\n");
    }

    @Test
    void tokensAreCreatedListedAndRevoked() throws Exception {
        String store = tmp.resolve("store").toString();
        Run made = run("serve", "token", "create", "--store", store, "--role", "scan", "--name", "ci");
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(made.out().strip()).startsWith("bwk_").hasSizeGreaterThan(40);
        Run list = run("serve", "token", "list", "--store", store);
        assertThat(list.out()).contains("\tscan\tci\t").doesNotContain(made.out().strip());
        assertThat(run("serve", "token", "revoke", "--store", store, "1").code()).isZero();
        assertThat(run("serve", "token", "list", "--store", store).out()).contains("revoked");
        Run none = run("serve", "token", "revoke", "--store", store, "7");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.err()).contains("no token 7");
        // the secret is not in the DB files
        try (var files = Files.walk(tmp.resolve("store"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(made.out().strip());
            }
        }
    }
}
