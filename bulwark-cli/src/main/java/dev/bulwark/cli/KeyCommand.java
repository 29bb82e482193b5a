package dev.bulwark.cli;

import dev.bulwark.trust.Keys;
import dev.bulwark.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** `bulwark key`: Signing keys: generate ECDSA P-256 key pairs. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Signing keys: generate ECDSA P-256 key pairs.",
        subcommands = {KeyCommand.Generate.class})
final class KeyCommand {

    /** Where a key's passphrase comes from; never a command-line argument, which other users can read. */
    static final class Passphrase {
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the key passphrase from FILE (first line).")
        Path file;
        @Option(names = "--passphrase-stdin", description = "Read the key passphrase from standard input.")
        boolean stdin;

        /** --passphrase-file, --passphrase-stdin, $BULWARK_KEY_PASSPHRASE, else the terminal (asked twice when {@code confirm}). */
        char[] read(boolean confirm) throws IOException {
            if (file != null) {
                if (Files.size(file) > 4096) throw new IOException(file + ": too large for a passphrase file");
                String s = Files.readString(file, StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                return (nl < 0 ? s : s.substring(0, nl)).replace("\r", "").toCharArray();
            }
            if (stdin) {
                String s = new String(System.in.readNBytes(4096), StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                return (nl < 0 ? s : s.substring(0, nl)).replace("\r", "").toCharArray();
            }
            String env = System.getenv("BULWARK_KEY_PASSPHRASE");
            if (env != null) return env.toCharArray();
            java.io.Console c = System.console();
            if (c == null) throw new IllegalArgumentException("no passphrase: use --passphrase-file, --passphrase-stdin or BULWARK_KEY_PASSPHRASE");
            char[] p = c.readPassword("Passphrase for the private key: ");
            if (confirm) {
                char[] again = c.readPassword("Again: ");
                if (!Arrays.equals(p, again)) throw new IllegalArgumentException("the passphrases differ");
            }
            return p;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Make an ECDSA P-256 key pair: PREFIX.key (encrypted PKCS#8 PEM, mode 0600) and PREFIX.pub (PEM).",
                    "Neither file is overwritten."})
    static final class Generate implements Callable<Integer> {
        @Option(names = {"-o", "--output-prefix"}, paramLabel = "PREFIX", description = "Path prefix of the two files (default: bulwark).")
        String prefix = "bulwark";
        @picocli.CommandLine.Mixin
        Passphrase passphrase;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            char[] pass = null;
            try {
                pass = passphrase.read(true);
                Path priv = Path.of(prefix + ".key");
                Path pub = Path.of(prefix + ".pub");
                Keys.write(Keys.generate(), priv, pub, pass);
                out.println("private key: " + priv + " (encrypted, mode 0600)");
                out.println("public key:  " + pub);
                return ExitCode.OK.code;
            } catch (TrustException | IOException | IllegalArgumentException e) {
                return ExitCode.report(e, err);
            } finally {
                if (pass != null) Arrays.fill(pass, '\0');
            }
        }
    }
}
