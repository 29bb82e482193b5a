package dev.bulwark.cli;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.run.OciConfig;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.seccomp.Seccomp;
import dev.bulwark.harden.seccomp.SeccompProfile;
import dev.bulwark.harden.settings.HardenedSettings;
import dev.bulwark.harden.settings.Hardening;
import dev.bulwark.image.ImageRunConfig;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.model.BulwarkException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `bulwark harden`: Hardened run settings for an image: docker run flags, Compose, Kubernetes securityContext, OCI config. */
@Command(name = "harden", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Hardened run settings for an image, from its config (USER, EXPOSE, VOLUME, WORKDIR, ENV, HEALTHCHECK):"
                + " docker run flags, a Compose service, a Kubernetes Pod, an OCI runtime config, or JSON (docs/harden.md).")
final class HardenCommand implements Callable<Integer> {
    @Mixin
    ImageOptions image;
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "docker, compose, k8s, oci or json (default docker).")
    String format = "docker";
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;
    @Option(names = "--profile", paramLabel = "FILE", description = "A seccomp profile to use (e.g. one learned with bulwark profile seccomp --learn).")
    Path profile;
    @Option(names = "--name", paramLabel = "NAME", description = "Image reference to print (default: the image's tag, pinned by digest).")
    String name;
    @Option(names = "--user", paramLabel = "UID:GID", description = "User to run as (default: the image's USER; root becomes 65534:65534).")
    String user;
    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit (default 512m).")
    String memory;
    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit (default 1.0).")
    Double cpus;
    @Option(names = "--pids-limit", paramLabel = "N", description = "Process limit (default 256).")
    Integer pids;
    @Option(names = "--tmpfs", paramLabel = "PATH", description = "Another path the program writes (repeatable).")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = "--apparmor", paramLabel = "PROFILE", description = "An AppArmor profile to name (e.g. one from bulwark profile apparmor); none by default.")
    String apparmor;
    @Option(names = "--cap-add", paramLabel = "CAP", split = ",", description = "A capability the program needs.")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--learn", description = "Find the paths the program writes: run CMD (after --) under runc on a writable overlay"
            + " of the image, as the hardened user, and make every directory it wrote a tmpfs.")
    boolean learn;
    @picocli.CommandLine.Parameters(index = "1..*", paramLabel = "CMD", description = "With --learn: the workload to run (default: the image's ENTRYPOINT + CMD).")
    List<String> command = new ArrayList<>();
    @Option(names = "--rootfs-dir", paramLabel = "DIR", description = "With --learn: the store of unpacked images (default " + RunCommand.DEFAULT_ROOTFS_DIR + ").")
    Path rootfsDir;
    @Option(names = "--runc", paramLabel = "PATH", description = "With --learn: the runc binary (default: runc on PATH).")
    Path runc;
    @Option(names = "--isolation", paramLabel = "LEVEL", description = "The isolation the workload needs: container (default), sandbox"
            + " (gVisor: -f docker adds --runtime=runsc) or vm (bulwark run --isolation vm); said in a note for the other formats.")
    String isolation = "container";
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String fmt = format.toLowerCase(Locale.ROOT);
        Long mem;
        dev.bulwark.harden.run.Isolation level;
        try {
            level = dev.bulwark.harden.run.Isolation.parse(isolation);
            if (image.target == null) throw new IllegalArgumentException("harden needs an IMAGE: bulwark harden [OPTIONS] IMAGE");
            if (!List.of("docker", "compose", "k8s", "kubernetes", "oci", "json").contains(fmt))
                throw new IllegalArgumentException("-f " + format + ": one of docker, compose, k8s, oci, json");
            mem = memory == null ? null : Hardening.parseMemory(memory);
            if (cpus != null && (cpus <= 0 || cpus > 1024 || cpus.isNaN())) throw new IllegalArgumentException("--cpus " + cpus + " is not a CPU count");
            if (pids != null && pids <= 0) throw new IllegalArgumentException("--pids-limit must be positive");
            if (user != null && !user.matches("\\d{1,10}(:\\d{1,10})?|[a-z_][a-z0-9_.-]{0,31}(:[a-z_][a-z0-9_.-]{0,31})?"))
                throw new IllegalArgumentException("--user " + user + ": expected UID[:GID] or a name");
            for (String t : tmpfs) if (!t.startsWith("/")) throw new IllegalArgumentException("--tmpfs " + t + ": must be an absolute path");
            if (!learn && !command.isEmpty()) throw new IllegalArgumentException("a command (" + command.get(0) + ") is only used with --learn");
            if (apparmor != null && !apparmor.matches("[A-Za-z0-9_./-]{1,200}")) throw new IllegalArgumentException("--apparmor " + apparmor + ": not a profile name");
            for (String c : capAdd) if (!c.toUpperCase(Locale.ROOT).matches("(CAP_)?[A-Z_]+")) throw new IllegalArgumentException("--cap-add " + c + ": not a capability");
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        dev.bulwark.image.SourceOptions options;
        try {
            options = image.sourceOptions(System.in);
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        } catch (IOException e) {
            return ExitCode.report(e, err);
        }
        try (ImageSource src = ImageSources.open(image.target, options)) {
            ImageRunConfig cfg = ImageRunConfig.of(src);
            SeccompProfile learned = profile == null ? null : Seccomp.read(profile);
            String ref = Hardening.reference(src.info(), name);
            HardenedSettings s = Hardening.settings(ref, cfg, new Hardening.Overrides(user, mem, cpus, pids,
                    profile == null ? null : profile.toString(), apparmor, tmpfs, capAdd));
            if (learn) {
                List<String> written = learnWrites(s, learned, options, err);
                List<String> more = new ArrayList<>(tmpfs);
                for (String w : written) if (!s.tmpfs().contains(w) && !w.equals("/")) more.add(w);
                s = Hardening.settings(ref, cfg, new Hardening.Overrides(user, mem, cpus, pids,
                        profile == null ? null : profile.toString(), apparmor, more, capAdd));
                err.println("bulwark: note: the learn run wrote to " + (written.isEmpty() ? "nothing outside its tmpfs" : String.join(", ", written))
                        + (written.contains("/") ? " (/ itself: not made a tmpfs; give the program a directory)" : ""));
            }
            String base = name != null ? name : src.info().repoTags().isEmpty() ? "app" : src.info().repoTags().get(0);
            base = base.replaceAll("@.*$", "").replaceAll(":[^/]*$", "").replaceAll(".*/", "");
            String rendered = switch (fmt) {
                case "docker" -> Hardening.dockerRun(s);
                case "compose" -> Hardening.compose(s, base.isEmpty() ? "app" : base);
                case "k8s", "kubernetes" -> Hardening.kubernetes(s, base.isEmpty() ? "app" : base);
                case "json" -> Hardening.json(s);
                default -> oci(s, cfg, learned);
            };
            boolean gvisorRuntime = level == dev.bulwark.harden.run.Isolation.SANDBOX && fmt.equals("docker");
            // the name gVisor's documentation registers runsc under in daemon.json's "runtimes"
            String text = gvisorRuntime ? rendered.replaceFirst("^docker run ", "docker run --runtime=runsc ") : rendered;
            if (!gvisorRuntime && level != dev.bulwark.harden.run.Isolation.CONTAINER) {
                err.println("bulwark: note: needs --isolation " + level.id() + ": " + (level == dev.bulwark.harden.run.Isolation.SANDBOX
                        ? "run it under gVisor (Docker: a daemon with runsc registered as runtime \"runsc\", docker run --runtime=runsc)"
                        : "run it in a VM: bulwark run --isolation vm (docs/run.md)"));
            }
            for (String n : s.notes()) err.println("bulwark: note: " + n);
            if (ref.startsWith(Hardening.UNNAMED)) err.println("bulwark: note: the image has no name: " + ref + " stands for it; give --name REGISTRY/REPO:TAG");
            err.flush();
            OutputOptions o = new OutputOptions();
            o.output = output;
            o.write(System.out, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
            return ExitCode.OK.code;
        } catch (BulwarkException | IOException | InterruptedException e) {
            return ExitCode.report(e, err);
        }
    }

    /** Runs the workload on a writable overlay as {@code s} says (its output to standard error) and lists where it wrote. */
    private List<String> learnWrites(HardenedSettings s, SeccompProfile learned, dev.bulwark.image.SourceOptions options, PrintWriter err)
            throws BulwarkException, IOException, InterruptedException {
        Path runcPath = runc != null ? runc : RunCommand.which("runc");
        Path store = rootfsDir != null ? rootfsDir : Path.of(RunCommand.DEFAULT_ROOTFS_DIR);
        if (rootfsDir == null) RunCommand.makeStore(store);
        RunSpec.IdMap map = Runner.idMap();
        Runner.Prepared prep = Runner.prepare(image.target, options, store, map, null);
        try {
            ImageRunConfig cfg = prep.config();
            long[] ids = RunCommand.resolveUser(s.user(), prep.rootfs(), user != null ? "--user " + s.user() : "the image's USER " + s.user());
            List<String> env = new ArrayList<>(cfg.env());
            if (env.stream().noneMatch(e -> e.startsWith("PATH="))) env.add(RunCommand.PATH);
            SeccompProfile filter = learned != null ? Seccomp.forContainer(learned, dev.bulwark.harden.seccomp.Arch.host(), java.util.Set.copyOf(
                    s.capAdd().stream().map(c -> "CAP_" + c).toList()), null) : Runner.defaultSeccomp();
            RunSpec r = new RunSpec(prep.rootfs(), cfg.argv(command), env, cfg.workingDir().isEmpty() ? "/" : cfg.workingDir(), ids[0], ids[1],
                    false, s.tmpfs(), List.of(), s.capAdd(), filter, null, s.memoryBytes(), s.cpus(), s.pidsLimit(), true, map, false);
            err.flush();
            Runner.Writes w = Runner.learnWrites(r, runcPath, store.resolveSibling("run"), new Runner.Streams(
                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), ProcessBuilder.Redirect.appendTo(new java.io.File("/dev/stderr")),
                    ProcessBuilder.Redirect.INHERIT));
            if (w.exitCode() != 0) err.println("bulwark: warning: the learn run exited with status " + w.exitCode() + ": only what it did before counts");
            return w.directories();
        } finally {
            Runner.release(prep);
        }
    }

    /** config.json for a bundle whose rootfs is ./rootfs, unpacked with `bulwark run`'s id shift. */
    private static String oci(HardenedSettings s, ImageRunConfig cfg, SeccompProfile learned) throws HardenException {
        long uid = s.uid() >= 0 ? s.uid() : 65534;
        long gid = s.gid() >= 0 ? s.gid() : uid;
        List<String> env = new ArrayList<>(cfg.env());
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) env.add(RunCommand.PATH);
        List<String> argv = cfg.argv(List.of());
        if (argv.isEmpty()) argv = List.of("/bin/sh");
        SeccompProfile filter = learned != null ? Seccomp.forContainer(learned, dev.bulwark.harden.seccomp.Arch.host(), java.util.Set.copyOf(
                s.capAdd().stream().map(c -> "CAP_" + c).toList()), null) : Runner.defaultSeccomp();
        RunSpec r = new RunSpec(Path.of("rootfs"), argv, env, cfg.workingDir().isEmpty() ? "/" : cfg.workingDir(), uid, gid, true, s.tmpfs(),
                List.of(), s.capAdd(), filter, null, s.memoryBytes(), s.cpus(), s.pidsLimit(), true, Runner.idMap(), false);
        return OciConfig.json(r, "bulwark", null, "rootfs");
    }
}
