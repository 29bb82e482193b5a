package dev.bulwark.harden.seccomp;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decides one call the way Docker and runc would: Docker first resolves the profile for the host (archMap entry of
 * the host's architecture; each rule kept or dropped by its includes/excludes on the host's Go architecture, the
 * container's bounding capabilities and the kernel version), then the filter runc loads through libseccomp answers:
 * a call in an architecture the filter does not hold meets libseccomp's bad-architecture action (kill); a call
 * whose name no kept rule matches with all its argument comparisons true gets the default action.
 *
 * <p>Rules whose action is the default one are left out, as runtimes must (libseccomp refuses them). When several
 * kept rules match one call, the most restrictive action wins, the order the kernel uses between filters;
 * libseccomp refuses most such overlaps when it builds the filter, and Docker's default profile has none whose
 * actions differ.
 */
final class Evaluator {
    private Evaluator() {}

    static Verdict evaluate(SeccompProfile profile, SyscallQuery q, SyscallTable table) {
        Arch host = hostOf(profile, q);
        Set<Arch> filterArches = filterArches(profile, host);
        if (!filterArches.contains(q.arch())) {
            return new Verdict(Action.KILL_THREAD, null, Verdict.BAD_ARCH, "the filter holds " + tokens(filterArches)
                    + ", not " + q.arch().token() + ": libseccomp's bad-architecture action kills the thread");
        }
        if (table.number(q.arch(), q.syscall()).isEmpty()) {
            throw new IllegalArgumentException("no syscall " + q.syscall() + " on " + q.arch().token());
        }
        String kernel = q.kernel() != null ? q.kernel() : System.getProperty("os.version", "0.0");
        long[] args = q.args();
        int best = -1;
        List<SyscallRule> rules = profile.syscalls();
        for (int i = 0; i < rules.size(); i++) {
            SyscallRule r = rules.get(i);
            if (!r.names().contains(q.syscall())) continue;
            if (sameAsDefault(r, profile)) continue;
            if (!kept(r, host, q.caps(), kernel)) continue;
            if (!argsMatch(r, args, q.arch().wideArgs())) continue;
            if (best < 0 || r.action().precedence() > rules.get(best).action().precedence()) best = i;
        }
        if (best < 0) {
            Action a = profile.defaultAction();
            return new Verdict(a, a.takesErrno() ? profile.defaultErrno() : null, Verdict.DEFAULT,
                    "no rule matches " + q.syscall() + ": the default action applies");
        }
        SyscallRule r = rules.get(best);
        Integer errno = r.action().takesErrno() ? (r.errnoRet() == null ? SeccompProfile.EPERM : r.errnoRet()) : null;
        return new Verdict(r.action(), errno, best, "rule " + best + " (" + Explainer.ruleConditions(r) + ")");
    }

    /**
     * libseccomp refuses a rule whose action (errno included) is the filter's default, so runtimes leave such rules
     * out: they never decide, even where a more permissive rule of the same call would otherwise lose to them.
     */
    static boolean sameAsDefault(SyscallRule r, SeccompProfile p) {
        if (r.action().precedence() != p.defaultAction().precedence() || r.action().runs() != p.defaultAction().runs()) return false;
        if (!r.action().takesErrno()) return r.action() == p.defaultAction() || r.action().precedence() == Action.KILL.precedence();
        int errno = r.errnoRet() == null ? SeccompProfile.EPERM : r.errnoRet();
        return errno == p.defaultErrno();
    }

    /** The host architecture: given, else the archMap entry that holds the call's architecture, else that one. */
    static Arch hostOf(SeccompProfile profile, SyscallQuery q) {
        if (q.host() != null) return q.host();
        for (ArchMapping m : profile.archMap()) {
            if (m.architecture() == q.arch() || m.subArchitectures().contains(q.arch())) return m.architecture();
        }
        for (ArchMapping m : DOCKER_ARCH_MAP) {
            if (m.subArchitectures().contains(q.arch())) return m.architecture();
        }
        return q.arch();
    }

    /** The common host/sub-architecture pairs, used to guess a host when the profile has no archMap. */
    private static final List<ArchMapping> DOCKER_ARCH_MAP = List.of(
            new ArchMapping(Arch.X86_64, List.of(Arch.X86, Arch.X32)),
            new ArchMapping(Arch.AARCH64, List.of(Arch.ARM)),
            new ArchMapping(Arch.MIPS64, List.of(Arch.MIPS, Arch.MIPS64N32)),
            new ArchMapping(Arch.MIPSEL64, List.of(Arch.MIPSEL, Arch.MIPSEL64N32)),
            new ArchMapping(Arch.S390X, List.of(Arch.S390)),
            new ArchMapping(Arch.PPC64, List.of(Arch.PPC)));

    /** The architectures of the loaded filter: libseccomp's native one (the host) plus those the profile adds. */
    static Set<Arch> filterArches(SeccompProfile profile, Arch host) {
        Set<Arch> s = EnumSet.of(host);
        s.addAll(profile.architectures());
        for (ArchMapping m : profile.archMap()) {
            if (m.architecture() == host) {
                s.add(m.architecture());
                s.addAll(m.subArchitectures());
            }
        }
        return s;
    }

    /** Docker's includes/excludes, exactly: excludes drop on any match, includes need every capability. */
    static boolean kept(SyscallRule r, Arch host, Set<String> caps, String kernel) {
        Condition ex = r.excludes();
        if (ex.arches().contains(host.goArch())) return false;
        for (String c : ex.caps()) {
            if (caps.contains(SyscallQuery.normalizeCap(c))) return false;
        }
        if (ex.minKernel() != null && KernelVersion.compare(kernel, ex.minKernel()) >= 0) return false;
        Condition in = r.includes();
        if (!in.arches().isEmpty() && !in.arches().contains(host.goArch())) return false;
        for (String c : in.caps()) {
            if (!caps.contains(SyscallQuery.normalizeCap(c))) return false;
        }
        return in.minKernel() == null || KernelVersion.compare(kernel, in.minKernel()) >= 0;
    }

    static boolean argsMatch(SyscallRule r, long[] args, boolean wide) {
        for (ArgRule a : r.args()) {
            if (!a.test(args, wide)) return false;
        }
        return true;
    }

    private static String tokens(Set<Arch> arches) {
        StringBuilder b = new StringBuilder();
        for (Arch a : arches) b.append(b.isEmpty() ? "" : ", ").append(a.token());
        return b.toString();
    }
}
