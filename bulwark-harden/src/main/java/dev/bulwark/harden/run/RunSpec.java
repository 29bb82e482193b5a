package dev.bulwark.harden.run;

import dev.bulwark.harden.seccomp.SeccompProfile;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one hardened container needs, in the runtime's terms: what {@link OciConfig} turns into a config.json.
 *
 * @param rootfs          the unpacked image (owned by the mapped root when {@code idMap} is set)
 * @param args            argv
 * @param env             NAME=VALUE
 * @param cwd             working directory inside
 * @param uid             user inside
 * @param gid             group inside
 * @param readOnlyRoot    root mounted read-only
 * @param tmpfs           writable tmpfs mounts (paths inside)
 * @param binds           host directories bound in
 * @param caps            capabilities kept (every set); empty: none
 * @param seccomp         the filter, or null for unconfined
 * @param apparmor        an AppArmor profile name, or null
 * @param memoryBytes     memory limit (swap the same: no extra swap); 0 none
 * @param cpus            CPU limit; 0 none
 * @param pidsLimit       process limit; 0 none
 * @param privateNetwork  a new, empty network namespace (only lo); false shares the host's
 * @param idMap           user namespace mapping, or null for none
 * @param terminal        allocate a terminal (runc's console socket is not supported: always false here)
 */
public record RunSpec(Path rootfs, List<String> args, List<String> env, String cwd, long uid, long gid, boolean readOnlyRoot,
                      List<String> tmpfs, List<Bind> binds, List<String> caps, SeccompProfile seccomp, String apparmor,
                      long memoryBytes, double cpus, int pidsLimit, boolean privateNetwork, IdMap idMap, boolean terminal) {
    public RunSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        tmpfs = List.copyOf(tmpfs);
        binds = List.copyOf(binds);
        caps = List.copyOf(caps);
        if (args.isEmpty()) throw new IllegalArgumentException("no command to run: the image has no ENTRYPOINT or CMD; give one after --");
        if (cwd == null || !cwd.startsWith("/")) throw new IllegalArgumentException("working directory must be absolute: " + cwd);
    }

    /** A host directory bound at {@code target}, read-only unless {@code writable}. */
    public record Bind(Path source, String target, boolean writable) {
        public Bind {
            if (!target.startsWith("/")) throw new IllegalArgumentException("mount target must be absolute: " + target);
            for (String c : target.split("/")) if (c.equals("..")) throw new IllegalArgumentException("mount target has ..: " + target);
        }

        /** docker's -v HOST:CTR[:ro|:rw]. */
        public static Bind parse(String spec) {
            String[] p = spec.split(":", -1);
            if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty())
                throw new IllegalArgumentException("-v " + spec + ": expected HOST:CONTAINER[:ro|rw]");
            boolean writable = true;
            if (p.length == 3) {
                if (p[2].equals("ro")) writable = false;
                else if (!p[2].equals("rw")) throw new IllegalArgumentException("-v " + spec + ": mode must be ro or rw");
            }
            Path src = Path.of(p[0]);
            if (!src.isAbsolute()) throw new IllegalArgumentException("-v " + spec + ": host path must be absolute");
            return new Bind(src, p[1], writable);
        }
    }

    /** Root inside is {@code hostUid} / {@code hostGid} outside, for {@code size} ids. */
    public record IdMap(long hostUid, long hostGid, long size, String source) {
        public IdMap {
            if (hostUid <= 0 || hostGid <= 0 || size <= 0) throw new IllegalArgumentException("bad id map " + hostUid + ":" + hostGid + ":" + size);
        }
    }
}
