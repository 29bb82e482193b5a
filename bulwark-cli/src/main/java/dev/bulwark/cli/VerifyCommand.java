package dev.bulwark.cli;

import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.ImageRef;
import dev.bulwark.trust.ImageVerifier;
import dev.bulwark.trust.Keys;
import dev.bulwark.trust.NotaryServer;
import dev.bulwark.trust.NotaryVerifier;
import dev.bulwark.trust.TrustException;
import dev.bulwark.trust.TrustPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `bulwark verify`: Verify an image's signatures or its Docker Content Trust (Notary) data. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify an image's signatures (--key or --policy) or its Docker Content Trust data (--notary).",
                "Exit 0 when verified, 1 when refused (each reason printed), 3 when the registry or a file cannot be read."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "NAME[:TAG|@DIGEST] in a registry (registry: prefix optional).")
    String image;
    @Option(names = {"-k", "--key"}, paramLabel = "PUB", description = "Public key a signature must verify with (repeatable: any one).")
    List<Path> keys = new ArrayList<>();
    @Option(names = "--policy", paramLabel = "FILE", description = "Trust policy: keys and annotations per registry/repository (docs/trust.md).")
    Path policy;
    @Option(names = {"-a", "--annotation"}, paramLabel = "KEY=VALUE", description = "Annotation the signed payload must carry (repeatable).")
    Map<String, String> annotations = new LinkedHashMap<>();
    @Option(names = "--notary", paramLabel = "URL", description = "Verify Docker Content Trust against this Notary server (https://HOST:PORT).")
    String notary;
    @Option(names = "--notary-ca", paramLabel = "FILE", description = "CA certificate(s) the Notary server's TLS certificate must chain to.")
    Path notaryCa;
    @Option(names = "--notary-root", paramLabel = "FILE", description = "Trust this root.json instead of the one trusted on first use.")
    Path notaryRoot;
    @Option(names = "--trust-dir", paramLabel = "DIR", description = "Where trusted roots and seen versions are kept (default: ~/.bulwark/trust).")
    Path trustDir;
    @Mixin
    SignCommand.RegistryOptions registry;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ImageRef ref = SignCommand.ref(image);
            int modes = (notary != null ? 1 : 0) + (policy != null ? 1 : 0) + (!keys.isEmpty() ? 1 : 0);
            if (modes != 1) throw new IllegalArgumentException("give exactly one of --key, --policy or --notary");
            if (!annotations.isEmpty() && keys.isEmpty()) throw new IllegalArgumentException("--annotation goes with --key (a policy names its own)");
            SourceOptions options = registry.options();
            ImageVerifier.Verification v;
            Path dir = trustDir != null ? trustDir : Path.of(System.getProperty("user.home"), ".bulwark", "trust");
            if (notary != null) {
                byte[] root = notaryRoot == null ? null : Files.readAllBytes(notaryRoot);
                NotaryVerifier nv = new NotaryVerifier(dir, root, Clock.systemUTC());
                String gun = ref.registry() + "/" + ref.repository();
                v = new ImageVerifier(TrustPolicy.ofKeys(List.of(), Map.of()), options)
                        .verifyNotary(ref, nv, NotaryServer.open(notary, notaryCa, gun));
            } else {
                TrustPolicy p;
                if (policy != null) p = TrustPolicy.load(policy);
                else {
                    List<PublicKey> pubs = new ArrayList<>();
                    for (Path k : keys) pubs.add(Keys.readPublic(k));
                    p = TrustPolicy.ofKeys(pubs, annotations);
                }
                v = new ImageVerifier(p, options, dir).verify(ref);
            }
            String name = ref.registry() + "/" + ref.repository() + (v.digest() == null ? "" : "@" + v.digest());
            if (v.verified()) {
                out.println("verified " + name + ": " + String.join("; ", v.signers()));
                return ExitCode.OK.code;
            }
            out.println("REFUSED " + name);
            for (String r : v.reasons()) out.println("  " + r);
            return ExitCode.FINDINGS.code;
        } catch (TrustException | IOException | IllegalArgumentException e) {
            return ExitCode.report(e, err);
        }
    }
}
