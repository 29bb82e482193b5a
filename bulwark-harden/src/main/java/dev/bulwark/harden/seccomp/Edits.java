package dev.bulwark.harden.seccomp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Profile edits. Every result is in canonical form: unconditional rules of one action and errno are one rule with
 * sorted names; other rules are kept whole, without duplicates, sorted by their JSON. Rule order never changes a
 * decision (the most restrictive matching rule wins), so the canonical form means the same as its input, and merge
 * is commutative and idempotent.
 */
final class Edits {
    private Edits() {}

    record Key(Action action, Integer errno) {}

    static SeccompProfile normalize(SeccompProfile p) {
        Map<Key, Set<String>> plain = new LinkedHashMap<>();
        Set<SyscallRule> other = new java.util.LinkedHashSet<>();
        for (SyscallRule r : p.syscalls()) {
            if (r.unconditional() && r.comment() == null) {
                plain.computeIfAbsent(new Key(r.action(), r.errnoRet()), k -> new TreeSet<>()).addAll(r.names());
            } else {
                other.add(r.withNames(List.copyOf(new TreeSet<>(r.names()))));
            }
        }
        List<SyscallRule> out = new ArrayList<>();
        plain.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Key, Set<String>> e) -> e.getKey().action())
                        .thenComparing(e -> e.getKey().errno() == null ? -1 : e.getKey().errno()))
                .forEach(e -> {
                    if (!e.getValue().isEmpty()) out.add(SyscallRule.of(List.copyOf(e.getValue()), e.getKey().action(), e.getKey().errno()));
                });
        List<SyscallRule> rest = new ArrayList<>(other);
        rest.sort(Comparator.comparing(r -> SeccompJson.toJsonString(new SeccompProfile(Action.ALLOW, null, null, null, null, List.of(r)))));
        out.addAll(rest);
        List<Arch> arches = new ArrayList<>(new TreeSet<>(p.architectures()));
        return new SeccompProfile(p.defaultAction(), p.defaultErrnoRet(), arches, p.archMap(), List.copyOf(new TreeSet<>(p.flags())), out);
    }

    /** The union of profiles with one default action: a call any of them allows, the merge allows. */
    static SeccompProfile merge(List<SeccompProfile> profiles) {
        if (profiles.isEmpty()) throw new IllegalArgumentException("nothing to merge");
        SeccompProfile first = profiles.get(0);
        List<SyscallRule> rules = new ArrayList<>();
        Set<Arch> arches = new TreeSet<>();
        Set<String> flags = new TreeSet<>();
        for (SeccompProfile p : profiles) {
            if (p.defaultAction() != first.defaultAction() || p.defaultErrno() != first.defaultErrno()) {
                throw new IllegalArgumentException("cannot merge profiles with different default actions ("
                        + first.defaultAction().scmpName() + " and " + p.defaultAction().scmpName() + ")");
            }
            if (!p.archMap().equals(first.archMap())) throw new IllegalArgumentException("cannot merge profiles with different archMaps");
            rules.addAll(p.syscalls());
            arches.addAll(p.architectures());
            flags.addAll(p.flags());
        }
        Integer errno = profiles.stream().anyMatch(p -> p.defaultErrnoRet() != null) ? Integer.valueOf(first.defaultErrno()) : null;
        return normalize(new SeccompProfile(first.defaultAction(), errno, List.copyOf(arches), first.archMap(), List.copyOf(flags), rules));
    }

    /** Takes the names out of every rule (dropping emptied ones), then gives them the action unless it is the default. */
    static SeccompProfile set(SeccompProfile p, Set<String> names, Action action, Integer errno) {
        List<SyscallRule> rules = new ArrayList<>();
        for (SyscallRule r : p.syscalls()) {
            List<String> keep = r.names().stream().filter(n -> !names.contains(n)).toList();
            if (!keep.isEmpty()) rules.add(r.withNames(keep));
        }
        boolean isDefault = action == p.defaultAction()
                && (!action.takesErrno() || Objects.equals(errno == null ? SeccompProfile.EPERM : errno, p.defaultErrno()));
        // runc skips a rule whose action is the default one; writing none keeps the profile honest about that.
        if (!isDefault && !names.isEmpty()) rules.add(SyscallRule.of(List.copyOf(new TreeSet<>(names)), action, errno));
        return normalize(p.withSyscalls(rules));
    }
}
