package dev.bulwark.cli;

import dev.bulwark.image.RegistryCredentials;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.Platform;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Options shared by the commands that read an image. */
final class ImageOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET", description = {
            "docker-archive:FILE[:TAG] | oci:DIR[:TAG] | registry:NAME[:TAG|@DIGEST] | docker:NAME | rootfs:DIR,",
            "or a bare file, directory or image name (guessed)."})
    String target;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to pick from a multi-platform image (default: this machine's).")
    String platform;

    @Option(names = {"-u", "--username"}, description = "Registry user name (else BULWARK_USERNAME, else docker login's config).")
    String username;

    @Option(names = {"-p", "--password"}, description = "Registry password (prefer --password-stdin or BULWARK_PASSWORD).")
    String password;

    @Option(names = "--password-stdin", description = "Read the registry password from standard input.")
    boolean passwordStdin;

    @Option(names = "--plain-http", description = "Speak HTTP, not HTTPS, to the registry (loopback registries always use HTTP).")
    boolean plainHttp;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Layer cache directory (default: $BULWARK_CACHE_DIR, else ~/.cache/bulwark).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Neither read nor write the layer cache.")
    boolean noCache;

    @Option(names = "--pkg-types", split = ",", paramLabel = "TYPE[,TYPE...]", description = {
            "Run only these analysers: os (dpkg, apk, rpm), library (every language-package analyser),",
            "or an analyser's name: dpkg, apk, rpm, jar, npm, python, gobinary, rustbinary, gem (default: all)."})
    java.util.List<String> pkgTypes;

    @Option(names = "--parallel", paramLabel = "N", description = "Layers read at once (default: number of CPUs, at least 2).")
    Integer parallel;

    /** Built once: --password-stdin can be read only once, and later steps (content trust) ask again. */
    private SourceOptions built;

    SourceOptions sourceOptions(InputStream stdin) throws IOException {
        if (built != null) return built;
        built = buildSourceOptions(stdin);
        return built;
    }

    private SourceOptions buildSourceOptions(InputStream stdin) throws IOException {
        Map<String, String> env = System.getenv();
        String user = username != null ? username : env.get("BULWARK_USERNAME");
        String pass = password != null ? password : env.get("BULWARK_PASSWORD");
        if (passwordStdin) pass = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (user != null && pass == null) throw new IllegalArgumentException("--username needs a password (--password-stdin, --password or BULWARK_PASSWORD)");
        RegistryCredentials creds = user == null ? null : new RegistryCredentials(user, pass);
        Platform p = platform == null ? null : Platform.parse(platform);
        return new SourceOptions(p, creds, plainHttp, null, env);
    }

    Path effectiveCacheDir() {
        if (noCache) return null;
        if (cacheDir != null) return cacheDir;
        String env = System.getenv("BULWARK_CACHE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("bulwark");
    }
}
