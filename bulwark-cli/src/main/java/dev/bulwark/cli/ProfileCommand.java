package dev.bulwark.cli;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.ProfileGenerator;
import dev.bulwark.harden.seccomp.Arch;
import dev.bulwark.harden.seccomp.Seccomp;
import dev.bulwark.harden.seccomp.SeccompProfile;
import dev.bulwark.harden.seccomp.SyscallQuery;
import dev.bulwark.harden.seccomp.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `bulwark profile`: Seccomp and AppArmor profiles: generate, learn, edit, explain. */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Seccomp and AppArmor profiles: generate, learn, edit, explain.",
        subcommands = {ProfileCommand.SeccompCmd.class, ProfileCommand.AppArmorCmd.class})
final class ProfileCommand {

    /** Where a profile goes: -o FILE (whole or not at all) or standard output. */
    static int writeText(Path output, String text, PrintWriter err) {
        OutputOptions o = new OutputOptions();
        o.output = output;
        try {
            o.write(System.out, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
            return ExitCode.OK.code;
        } catch (IOException e) {
            return ExitCode.report(e, err);
        }
    }

    @Command(name = "seccomp", mixinStandardHelpOptions = true,
            description = {"Make a seccomp profile (Docker/OCI JSON): learn it from a workload (--learn -- CMD) or strace logs (--from),",
                    "merge profiles, then --deny / --allow syscalls. 'diff', 'explain' and 'check' read profiles."},
            subcommands = {SeccompDiff.class, SeccompExplain.class, SeccompCheck.class})
    static final class SeccompCmd implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|CMD", arity = "0..*",
                description = "Profiles to merge; with --learn, the command to run (after --).")
        List<String> positional = new ArrayList<>();
        @Option(names = "--learn", description = "Run the command under strace -f and write the smallest allow-list that runs it (under runc).")
        boolean learn;
        @Option(names = "--from", paramLabel = "STRACE_LOG", description = "Learn from an existing log of strace -f -o (repeatable).")
        List<Path> from = new ArrayList<>();
        @Option(names = "--merge", paramLabel = "FILE", description = "Merge this profile in (repeatable): a call any of them allows is allowed.")
        List<Path> merge = new ArrayList<>();
        @Option(names = "--deny", paramLabel = "SYSCALL", split = ",", description = "Make these syscalls fail with --errno (default EPERM).")
        List<String> deny = new ArrayList<>();
        @Option(names = "--errno", paramLabel = "N", description = "Errno for --deny (default 1, EPERM).")
        Integer errno;
        @Option(names = "--allow", paramLabel = "SYSCALL", split = ",", description = "Allow these syscalls unconditionally.")
        List<String> allow = new ArrayList<>();
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop a learned workload after this long (default 600).")
        long timeout = 600;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the profile to FILE instead of standard output.")
        Path output;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (errno != null && (errno < 0 || errno > 4095)) {
                err.println("bulwark: --errno " + errno + " is not an errno (0 to 4095)");
                return ExitCode.USAGE.code;
            }
            List<Path> files = new ArrayList<>(merge);
            if (!learn) positional.forEach(p -> files.add(Path.of(p)));
            if (learn && positional.isEmpty()) {
                err.println("bulwark: --learn needs a command: bulwark profile seccomp --learn -- CMD [ARGS...]");
                return ExitCode.USAGE.code;
            }
            if (!learn && from.isEmpty() && files.isEmpty()) {
                err.println("bulwark: give --learn -- CMD, --from STRACE_LOG or profiles to merge and edit");
                return ExitCode.USAGE.code;
            }
            try {
                List<SeccompProfile> parts = new ArrayList<>();
                if (learn) {
                    // The workload's own output goes to standard error when the profile goes to standard output.
                    OutputStream sink = output == null ? System.err : System.out;
                    Seccomp.Learned l = ProfileGenerator.learnSeccomp(positional, sink, Duration.ofSeconds(Math.max(1, timeout)));
                    if (l.exitCode() != 0) {
                        err.println("bulwark: warning: " + positional.get(0) + " exited with status " + l.exitCode()
                                + ": the profile holds only what it did before that");
                    }
                    parts.add(l.profile());
                }
                if (!from.isEmpty()) parts.add(ProfileGenerator.seccompFromStrace(from));
                for (Path f : files) {
                    SeccompProfile p = Seccomp.read(f);
                    warnUnknown(p, f, err);
                    parts.add(p);
                }
                SeccompProfile result = parts.size() == 1 ? Seccomp.normalize(parts.get(0)) : Seccomp.merge(parts);
                if (!allow.isEmpty()) result = Seccomp.allow(result, allow);
                if (!deny.isEmpty()) result = Seccomp.deny(result, deny, errno);
                return writeText(output, Seccomp.toJson(result), err);
            } catch (HardenException e) {
                return ExitCode.report(e, err);
            } catch (InterruptedException e) {
                return ExitCode.report(e, err);
            }
        }
    }

    static void warnUnknown(SeccompProfile p, Path f, PrintWriter err) {
        List<String> unknown = Seccomp.unknownNames(p);
        if (!unknown.isEmpty()) {
            err.println("bulwark: warning: " + f + ": syscalls unknown to libseccomp's tables here (runc skips them): "
                    + String.join(", ", unknown));
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What changes from profile A to profile B, syscall by syscall (exit 1 with --exit-code 1 when they differ).")
    static final class SeccompDiff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "A")
        Path a;
        @Parameters(index = "1", paramLabel = "B")
        Path b;
        @Option(names = "--exit-code", paramLabel = "N", description = "Exit with N when the profiles differ (default 0).")
        int exitCode;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                List<String> lines = Seccomp.diff(Seccomp.read(a), Seccomp.read(b));
                PrintWriter out = spec.commandLine().getOut();
                if (lines.isEmpty()) out.println("no difference");
                lines.forEach(out::println);
                out.flush();
                return lines.isEmpty() ? ExitCode.OK.code : exitCode;
            } catch (HardenException e) {
                return ExitCode.report(e, err);
            }
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true, description = "A seccomp profile in words.")
    static final class SeccompExplain implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                SeccompProfile p = Seccomp.read(file);
                warnUnknown(p, file, err);
                PrintWriter out = spec.commandLine().getOut();
                out.print(Seccomp.explain(p));
                out.flush();
                return ExitCode.OK.code;
            } catch (HardenException e) {
                return ExitCode.report(e, err);
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "May a container with these capabilities, on this architecture, make this call? Prints the action and the deciding rule.")
    static final class SeccompCheck implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--syscall", required = true, paramLabel = "NAME")
        String syscall;
        @Option(names = "--cap", paramLabel = "CAP", split = ",", description = "Capabilities of the container's bounding set (repeatable, e.g. SYS_ADMIN).")
        List<String> caps = new ArrayList<>();
        @Option(names = "--docker-caps", description = "Add Docker's default capability set to --cap.")
        boolean dockerCaps;
        @Option(names = "--arch", paramLabel = "ARCH", description = "ABI of the call: x86_64, x86, x32, aarch64, arm, ... or SCMP_ARCH_* (default: this machine's).")
        String arch;
        @Option(names = "--host", paramLabel = "ARCH", description = "The host's architecture (default: the archMap entry holding --arch).")
        String host;
        @Option(names = "--kernel", paramLabel = "VERSION", description = "Kernel version for minKernel conditions (default: this machine's).")
        String kernel;
        @Option(names = "--arg", paramLabel = "N=VALUE", description = "Argument N (0-5) = VALUE (decimal or 0x hex; repeatable).")
        List<String> args = new ArrayList<>();
        @Option(names = "--exit-code", paramLabel = "N", description = "Exit with N when the call is not allowed (default 0).")
        int exitCode;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                Arch a = arch == null ? Arch.host() : Arch.parse(arch).orElseThrow(() -> new IllegalArgumentException("unknown architecture " + arch));
                Arch h = host == null ? null : Arch.parse(host).orElseThrow(() -> new IllegalArgumentException("unknown architecture " + host));
                long[] values = new long[6];
                for (String s : args) {
                    int eq = s.indexOf('=');
                    if (eq < 1) throw new IllegalArgumentException("--arg " + s + ": expected N=VALUE");
                    int n;
                    try {
                        n = Integer.parseInt(s.substring(0, eq).strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--arg " + s + ": N must be 0 to 5");
                    }
                    if (n < 0 || n > 5) throw new IllegalArgumentException("--arg " + s + ": N must be 0 to 5");
                    values[n] = parseU64(s.substring(eq + 1).strip(), s);
                }
                Set<String> c = new LinkedHashSet<>(caps);
                if (dockerCaps) c.addAll(SyscallQuery.dockerDefaultCaps());
                SeccompProfile p = Seccomp.read(file);
                Verdict v = Seccomp.evaluate(p, new SyscallQuery(syscall, a, h, c, kernel, values));
                PrintWriter out = spec.commandLine().getOut();
                out.println(syscall + ": " + v.summary() + " (" + (v.allowed() ? "allowed" : "not allowed") + ")");
                out.println("  decided by " + v.reason());
                out.flush();
                return v.allowed() ? ExitCode.OK.code : exitCode;
            } catch (HardenException | IllegalArgumentException e) {
                return ExitCode.report(e, err);
            }
        }

        static long parseU64(String v, String where) {
            try {
                BigInteger b = v.startsWith("0x") || v.startsWith("0X") ? new BigInteger(v.substring(2), 16) : new BigInteger(v);
                if (b.signum() < 0 || b.bitLength() > 64) throw new IllegalArgumentException("--arg " + where + ": not an unsigned 64-bit value");
                return b.longValue();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--arg " + where + ": not a number");
            }
        }
    }

    @Command(name = "apparmor", mixinStandardHelpOptions = true,
            description = "Write an AppArmor profile (in the spirit of docker-default) from bane's TOML.")
    static final class AppArmorCmd implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.toml")
        Path file;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the profile to FILE instead of standard output.")
        Path output;
        @Option(names = "--name", paramLabel = "NAME", description = "Profile name (default: the file's Name).")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                return writeText(output, ProfileGenerator.apparmor(file, name), err);
            } catch (HardenException e) {
                return ExitCode.report(e, err);
            }
        }
    }

}
