package dev.bulwark.harden.imagetest;

import dev.bulwark.harden.run.Isolation;
import dev.bulwark.model.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an image promises, as read from a spec file (docs/image-test.md). Every test knows the line it was written
 * on, so a failure can point back at it.
 *
 * @param file      the spec file as given
 * @param commands  commands run in the image
 * @param files     checks on the image's final filesystem
 * @param metadata  checks on the image config, or null
 * @param licences  licence checks on the SBOM, or null
 * @param gates     security gates, or null
 */
public record Spec(String file, List<CommandTest> commands, List<FileTest> files, MetadataTest metadata, LicenceTest licences,
                   Gates gates) {
    public Spec {
        commands = List.copyOf(commands);
        files = List.copyOf(files);
    }

    /** How many tests the spec holds (each metadata, licence and gate key counts as one). */
    public int size() {
        return commands.size() + files.size() + (metadata == null ? 0 : metadata.count()) + (licences == null ? 0 : licences.count())
                + (gates == null ? 0 : gates.count());
    }

    /**
     * Runs a command in the image through the hardened runner.
     *
     * @param run      the whole argv (the image's ENTRYPOINT is not used), or empty
     * @param args     arguments replacing CMD after the ENTRYPOINT (as {@code docker run IMAGE ARGS}); both empty: the
     *                 image's own ENTRYPOINT and CMD
     * @param env      set (or, with a null value, removed) on top of the image's ENV
     * @param workdir  working directory, or null for the image's
     * @param user     "uid[:gid]" or a name from the image's /etc/passwd, or null for the hardened default
     * @param stdin    standard input, or null for none
     * @param exitCode the expected exit status, or null to accept any
     * @param isolation where the command runs: a container (runc, the default), gVisor's sandbox or a micro-VM
     */
    public record CommandTest(String name, int line, List<String> run, List<String> args, Map<String, String> env, String workdir,
                              String user, String stdin, Duration timeout, Integer exitCode, List<Pattern> stdout,
                              List<Pattern> stdoutNot, List<Pattern> stderr, List<Pattern> stderrNot,
                              Isolation isolation) {
        public CommandTest {
            isolation = isolation == null ? Isolation.CONTAINER : isolation;
            run = List.copyOf(run);
            args = List.copyOf(args);
            env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
            stdout = List.copyOf(stdout);
            stdoutNot = List.copyOf(stdoutNot);
            stderr = List.copyOf(stderr);
            stderrNot = List.copyOf(stderrNot);
        }
    }

    /** Entry kinds a file test can ask for. */
    public enum FileType { FILE, DIRECTORY, SYMLINK }

    /**
     * A check of one path in the final filesystem; null fields are not checked.
     *
     * @param exists     whether the path must exist (true) or be absent (false)
     * @param mode       permission bits including setuid / setgid / sticky (e.g. 04755)
     * @param owner      "uid[:gid]" or "name[:group]" resolved through the image's /etc/passwd and /etc/group
     * @param linkTarget the symbolic link's target exactly as stored
     * @param noSetuid   true: no regular file at or under the path has the setuid or setgid bit
     */
    public record FileTest(String name, int line, String path, boolean exists, FileType type, Integer mode, String owner, Long size,
                           List<Pattern> contains, List<Pattern> notContains, String linkTarget, boolean noSetuid) {
        public FileTest {
            contains = List.copyOf(contains);
            notContains = List.copyOf(notContains);
        }

        boolean needsContent() {
            return !contains.isEmpty() || !notContains.isEmpty();
        }
    }

    /** A value expected at a line of the spec. */
    public record Expect<T>(T value, int line) {}

    /**
     * Checks on the image config; null fields are not checked. Lists of ports and volumes must all be present (others
     * may be too); entrypoint and cmd must be equal; env and labels must hold these names with these exact values.
     */
    public record MetadataTest(Expect<String> user, Expect<Map<String, String>> env, Expect<List<String>> exposedPorts,
                               Expect<List<String>> entrypoint, Expect<List<String>> cmd, Expect<Map<String, String>> labels,
                               Expect<String> workdir, Expect<List<String>> volumes, Expect<Boolean> healthcheck, Expect<BaseImage> base) {
        int count() {
            int n = 0;
            for (Object o : new Object[] {user, env, exposedPorts, entrypoint, cmd, labels, workdir, volumes, healthcheck, base}) if (o != null) n++;
            return n;
        }
    }

    /**
     * The image is built on {@code image} (its layers are the first layers of the tested image); when {@code digest}
     * is given, that base is exactly this image id or manifest digest.
     */
    public record BaseImage(String image, String digest) {}

    /**
     * Licence checks.
     *
     * @param requiredFiles     files that must be in the image (regular files, links followed inside the image)
     * @param packageCopyright  every Debian package must carry /usr/share/doc/NAME/copyright
     * @param forbidden         licence ids no package may carry ("*" matches any run of characters: "AGPL-*")
     */
    public record LicenceTest(Expect<List<String>> requiredFiles, Expect<Boolean> packageCopyright, Expect<List<String>> forbidden) {
        int count() {
            return (requiredFiles == null ? 0 : 1) + (packageCopyright == null ? 0 : 1) + (forbidden == null ? 0 : 1);
        }
    }

    /**
     * Security gates.
     *
     * @param severity      no vulnerability at or above this
     * @param ignoreUnfixed vulnerabilities without a fixed version do not count for {@code severity}
     * @param noSecrets     no secret in any layer or in the config
     * @param audit         audit checks that must not fail: a profile name or check ids
     */
    public record Gates(Expect<Severity> severity, boolean ignoreUnfixed, Expect<Boolean> noSecrets, Expect<List<String>> audit) {
        int count() {
            return (severity == null ? 0 : 1) + (noSecrets == null ? 0 : 1) + (audit == null ? 0 : 1);
        }
    }
}
