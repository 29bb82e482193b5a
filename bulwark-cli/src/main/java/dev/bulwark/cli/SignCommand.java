package dev.bulwark.cli;

import dev.bulwark.image.Registry;
import dev.bulwark.image.RegistryCredentials;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Platform;
import dev.bulwark.trust.Keys;
import dev.bulwark.trust.Signer;
import dev.bulwark.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `bulwark sign`: Sign an image's manifest digest (cosign's format, stored in the registry). */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign an image's manifest digest (cosign's format, stored in the registry).",
                "The tag is resolved to its digest first; the signature names the digest, never the tag."})
final class SignCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "NAME[:TAG|@DIGEST] in a registry (registry: prefix optional).")
    String image;
    @Option(names = {"-k", "--key"}, required = true, paramLabel = "FILE", description = "Encrypted private key (from 'bulwark key generate').")
    Path key;
    @Option(names = {"-a", "--annotation"}, paramLabel = "KEY=VALUE", description = "Annotation to sign with the digest (repeatable).")
    Map<String, String> annotations = new LinkedHashMap<>();
    @Mixin
    KeyCommand.Passphrase passphrase;
    @Mixin
    RegistryOptions registry;
    @Spec
    CommandSpec spec;

    /** Registry access shared by sign, verify and pin. */
    static final class RegistryOptions {
        @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform a multi-platform image must offer (default: this machine's).")
        String platform;
        @Option(names = {"-u", "--username"}, description = "Registry user name (else BULWARK_USERNAME, else docker login's config).")
        String username;
        @Option(names = "--password-stdin", description = "Read the registry password from standard input.")
        boolean passwordStdin;
        @Option(names = "--plain-http", description = "Speak HTTP to the registry (loopback registries always use HTTP).")
        boolean plainHttp;

        SourceOptions options() throws IOException {
            Map<String, String> env = System.getenv();
            String user = username != null ? username : env.get("BULWARK_USERNAME");
            String pass = env.get("BULWARK_PASSWORD");
            if (passwordStdin) pass = new String(System.in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (user != null && pass == null) throw new IllegalArgumentException("--username needs a password (--password-stdin or BULWARK_PASSWORD)");
            return new SourceOptions(platform == null ? null : Platform.parse(platform),
                    user == null ? null : new RegistryCredentials(user, pass), plainHttp, null, env);
        }
    }

    static ImageRef ref(String image) {
        String s = image.startsWith("registry:") ? image.substring(9) : image;
        return ImageRef.parse(s);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        char[] pass = null;
        try {
            ImageRef ref = ref(image);
            pass = passphrase.read(false);
            PrivateKey k = Keys.readPrivate(key, pass);
            Signer.Signed s = Signer.sign(Registry.open(ref, registry.options()), k, annotations);
            out.println("signed " + ref.registry() + "/" + ref.repository() + "@" + s.digest());
            out.println("signature stored as " + ref.registry() + "/" + ref.repository() + ":" + s.signatureTag());
            return ExitCode.OK.code;
        } catch (TrustException | IOException | IllegalArgumentException e) {
            return ExitCode.report(e, err);
        } finally {
            if (pass != null) Arrays.fill(pass, '\0');
        }
    }
}
