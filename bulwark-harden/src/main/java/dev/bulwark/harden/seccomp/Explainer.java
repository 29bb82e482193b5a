package dev.bulwark.harden.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Profiles in words, and the difference of two profiles syscall by syscall. */
final class Explainer {
    private Explainer() {}

    static String explain(SeccompProfile p) {
        StringBuilder b = new StringBuilder();
        b.append("Default: ").append(actionWords(p.defaultAction(), p.defaultAction().takesErrno() ? p.defaultErrno() : null))
                .append(" for every syscall no rule below matches.\n");
        if (!p.architectures().isEmpty()) {
            b.append("Architectures: ").append(String.join(", ", p.architectures().stream().map(Arch::token).toList()))
                    .append(" (calls in any other ABI kill the thread).\n");
        } else if (!p.archMap().isEmpty()) {
            b.append("Architectures by host:\n");
            for (ArchMapping m : p.archMap()) {
                b.append("  on ").append(m.architecture().token()).append(": also ")
                        .append(m.subArchitectures().isEmpty() ? "nothing else"
                                : String.join(", ", m.subArchitectures().stream().map(Arch::token).toList())).append('\n');
            }
        } else {
            b.append("Architectures: only the host's own.\n");
        }
        if (!p.flags().isEmpty()) b.append("Flags: ").append(String.join(", ", p.flags())).append('\n');
        int i = 0;
        for (SyscallRule r : p.syscalls()) {
            Integer errno = r.action().takesErrno() ? (r.errnoRet() == null ? SeccompProfile.EPERM : r.errnoRet()) : null;
            b.append(String.format("%3d. ", i++)).append(capitalize(actionWords(r.action(), errno))).append(": ")
                    .append(String.join(", ", r.names())).append(r.names().size() > 4 ? " (" + r.names().size() + " syscalls)" : "");
            String cond = conditionWords(r);
            if (!cond.isEmpty()) b.append(", ").append(cond);
            b.append(".\n");
        }
        return b.toString();
    }

    static String actionWords(Action a, Integer errno) {
        return switch (a) {
            case ALLOW -> "allowed";
            case LOG -> "allowed and logged";
            case ERRNO -> "fails with " + Errno.name(errno == null ? SeccompProfile.EPERM : errno);
            case KILL, KILL_THREAD -> "kills the thread";
            case KILL_PROCESS -> "kills the process";
            case TRAP -> "raises SIGSYS";
            case TRACE -> "goes to the tracer (message " + (errno == null ? SeccompProfile.EPERM : errno) + ")";
            case NOTIFY -> "goes to the user-space notifier";
        };
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** "when arg0 == 0 and the container has CAP_SYS_ADMIN, on amd64 hosts, unless ...". */
    static String conditionWords(SyscallRule r) {
        List<String> parts = new ArrayList<>();
        if (!r.args().isEmpty()) parts.add("when " + String.join(" and ", r.args().stream().map(ArgRule::describe).toList()));
        Condition in = r.includes();
        if (!in.caps().isEmpty()) parts.add("only with " + String.join(" and ", in.caps()));
        if (!in.arches().isEmpty()) parts.add("only on " + String.join("/", in.arches()) + " hosts");
        if (in.minKernel() != null) parts.add("only on kernel " + in.minKernel() + " or newer");
        Condition ex = r.excludes();
        if (!ex.caps().isEmpty()) parts.add("not with " + String.join(" or ", ex.caps()));
        if (!ex.arches().isEmpty()) parts.add("not on " + String.join("/", ex.arches()) + " hosts");
        if (ex.minKernel() != null) parts.add("only on kernels older than " + ex.minKernel());
        return String.join(", ", parts);
    }

    /** What decides a rule: its names (the first few), action and conditions; for verdict reasons. */
    static String ruleConditions(SyscallRule r) {
        String names = r.names().size() > 3 ? String.join(", ", r.names().subList(0, 3)) + ", ..." : String.join(", ", r.names());
        String cond = conditionWords(r);
        return names + ": " + r.action().scmpName() + (cond.isEmpty() ? "" : ", " + cond);
    }

    /** Per syscall, the sorted descriptions of the rules that name it. */
    private static Map<String, Set<String>> bySyscall(SeccompProfile p) {
        Map<String, Set<String>> m = new TreeMap<>();
        for (SyscallRule r : p.syscalls()) {
            Integer errno = r.action().takesErrno() ? (r.errnoRet() == null ? SeccompProfile.EPERM : r.errnoRet()) : null;
            String cond = conditionWords(r);
            String d = actionWords(r.action(), errno) + (cond.isEmpty() ? "" : " " + cond);
            for (String n : r.names()) m.computeIfAbsent(n, k -> new TreeSet<>()).add(d);
        }
        return m;
    }

    /** Lines "- name: ..." for what only A says and "+ name: ..." for what only B says; empty when equivalent. */
    static List<String> diff(SeccompProfile a, SeccompProfile b) {
        List<String> out = new ArrayList<>();
        Integer ea = a.defaultAction().takesErrno() ? a.defaultErrno() : null;
        Integer eb = b.defaultAction().takesErrno() ? b.defaultErrno() : null;
        if (a.defaultAction() != b.defaultAction() || !Objects.equals(ea, eb)) {
            out.add("- default: " + actionWords(a.defaultAction(), ea));
            out.add("+ default: " + actionWords(b.defaultAction(), eb));
        }
        Set<Arch> archA = new TreeSet<>(a.architectures());
        Set<Arch> archB = new TreeSet<>(b.architectures());
        for (Arch x : archA) if (!archB.contains(x)) out.add("- architecture " + x.token());
        for (Arch x : archB) if (!archA.contains(x)) out.add("+ architecture " + x.token());
        if (!a.archMap().equals(b.archMap())) out.add("~ archMap differs");
        Map<String, Set<String>> ma = bySyscall(a);
        Map<String, Set<String>> mb = bySyscall(b);
        Set<String> names = new TreeSet<>(ma.keySet());
        names.addAll(mb.keySet());
        for (String n : names) {
            Set<String> ra = ma.getOrDefault(n, Set.of());
            Set<String> rb = mb.getOrDefault(n, Set.of());
            if (ra.equals(rb)) continue;
            for (String d : ra) if (!rb.contains(d)) out.add("- " + n + ": " + d);
            for (String d : rb) if (!ra.contains(d)) out.add("+ " + n + ": " + d);
        }
        return out;
    }
}
