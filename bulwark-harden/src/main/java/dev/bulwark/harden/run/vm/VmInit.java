package dev.bulwark.harden.run.vm;

import dev.bulwark.harden.run.RunSpec;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The guest's side of a run: the init (PID 1 of the initramfs, a busybox shell script) and the run script it
 * sources, generated from the {@link RunSpec}. The init loads the modules, mounts the output share; the run script
 * mounts the image's root (virtio-9p, read-only) under a read-only overlay whose top layer holds busybox at
 * {@code /.bulwark/busybox} and any mount point the image lacks, mounts /proc, /dev, /sys and the tmpfs and bind
 * targets, and starts the command chrooted there as the spec's user (busybox nsenter -r -S -G), in its working
 * directory, with exactly its environment and no new privileges; its output goes to the shared files, its status
 * after it. The init then powers the VM off.
 */
final class VmInit {
    /** The console line that says the guest's userspace runs (the host's boot watchdog waits for it). */
    static final String UP = "bulwark-init: up";
    static final String ROOT_TAG = "bulwark-root";
    static final String IO_TAG = "bulwark-io";
    static final String NINEP = "trans=virtio,version=9p2000.L,msize=262144";

    private VmInit() {}

    static String init() {
        return """
                #!/bin/busybox sh
                # Bulwark's micro-VM init: PID 1 of the initramfs Bulwark builds for each run.
                # busybox's shell is built standalone: a bare applet name runs in a fork of this shell without an exec of
                # /bin/busybox (the slow part of every step under emulation), once /proc/self/exe is there for the
                # applets that re-exec themselves
                /bin/busybox mount -t proc proc /proc
                t() { cut -d' ' -f1 /proc/uptime; }
                say() { echo "bulwark-init: $*" >/dev/console; }
                fail() { say "error: $*"; /bin/busybox sync; /bin/busybox poweroff -f; }
                mount -t devtmpfs dev /dev
                say "up $(t)"
                for m in /modules/*.ko; do insmod "$m" || fail "cannot load $m"; done
                say "modules $(t)"
                # the overlay's top layer gets busybox as a hard link: a second copy in the archive costs its unpacking
                ln /bin/busybox /tools/.bulwark/busybox || fail "cannot link busybox into the top layer"
                mount -t 9p -o %s %s /io || fail "cannot mount the output share"
                . /bulwark/run.sh
                say "status $s $(t)"
                echo "$s" >>/io/status
                sync
                poweroff -f
                """.formatted(NINEP, IO_TAG);
    }

    /**
     * The run script for {@code spec}; {@code binds} are the 9p tags of the spec's binds in order. {@code rootfs} is
     * the image on the host, consulted only for which mount points it lacks.
     */
    static String run(RunSpec spec, Path rootfs) {
        StringBuilder b = new StringBuilder();
        b.append("hostname bulwark\n");
        b.append("mount -t 9p -o ").append(NINEP).append(",ro ").append(ROOT_TAG).append(" /image || fail \"cannot mount the image\"\n");
        if (spec.readOnlyRoot()) {
            b.append("mount -t overlay -o ro,lowerdir=/tools:/image overlay /newroot || fail \"cannot mount the root\"\n");
        } else {
            // writes land in guest memory and die with the VM; the host's tree is shared read-only either way
            b.append("mount -t tmpfs -o mode=0755 rw /rw && mkdir /rw/upper /rw/work || fail \"cannot make the writable layer\"\n");
            b.append("mount -t overlay -o lowerdir=/tools:/image,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || fail \"cannot mount the root\"\n");
        }
        b.append("mount -t proc -o nosuid,nodev,noexec proc /newroot/proc\n");
        b.append("mount -t devtmpfs -o nosuid,noexec dev /newroot/dev\n");
        b.append("mkdir -p /newroot/dev/pts /newroot/dev/shm\n");
        b.append("mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620 devpts /newroot/dev/pts\n");
        b.append("mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=64m shm /newroot/dev/shm\n");
        b.append("mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /newroot/sys\n");
        for (String t : spec.tmpfs())
            b.append("mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=64m tmpfs ").append(q("/newroot" + t)).append(" || fail ").append(q("cannot mount tmpfs " + t)).append('\n');
        for (int i = 0; i < spec.binds().size(); i++) {
            RunSpec.Bind bind = spec.binds().get(i);
            b.append("mount -t 9p -o ").append(NINEP).append(bind.writable() ? "" : ",ro").append(",nosuid,nodev ").append(bindTag(i)).append(' ')
                    .append(q("/newroot" + bind.target())).append(" || fail ").append(q("cannot mount " + bind.target())).append('\n');
        }
        if (spec.pidsLimit() > 0) {
            // the pids limit as runc sets it: a cgroup of the guest's own cgroup2 hierarchy, which the init enters
            // for the command's start (a fork it makes starts there) and leaves afterwards; the init itself counts
            // in it meanwhile, so the limit is one more than the command's
            b.append("mkdir /run/cg && mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /run/cg && echo +pids >/run/cg/cgroup.subtree_control"
                    + " && mkdir /run/cg/command && echo ").append(spec.pidsLimit() + 1L).append(" >/run/cg/command/pids.max"
                    + " && echo $$ >/run/cg/command/cgroup.procs || fail \"cannot set the pids limit\"\n");
        }
        b.append("say \"mounted $(t)\"\n");
        // nsenter -r chroots, then sets the group list to the gid alone, the gid and the uid; the exec script runs as
        // that user
        b.append("env -i nsenter -r/newroot -G ").append(spec.gid()).append(" -S ").append(spec.uid())
                .append(" -F -- /.bulwark/busybox setpriv --nnp /.bulwark/busybox sh /.bulwark/exec </dev/null >>/io/stdout 2>>/io/stderr\n");
        b.append("s=$?\n");
        if (spec.pidsLimit() > 0) b.append("echo $$ >/run/cg/cgroup.procs\n");
        return b.toString();
    }

    /**
     * The script that becomes the command, run chrooted as the user under no_new_privs with an empty environment:
     * it changes to the working directory (as the user, as runc does), finds argv[0] on the spec's PATH itself,
     * sets exactly the spec's environment and execs the command by its path with argv[0] as given ({@code exec
     * -a}). busybox prefers its own applets for a bare name, so a bare {@code sh} would be busybox's shell, not the
     * image's: the path makes it the image's. HOME, when the spec has none, is the user's from the image's
     * /etc/passwd, else /, as runc sets it. A variable whose name the shell cannot export goes through
     * {@code env -i} instead (argv[0] is then the path).
     */
    static String exec(RunSpec spec, Path rootfs) {
        List<String> env = new ArrayList<>(spec.env());
        String path = null;
        boolean home = false;
        boolean plain = true;
        for (String e : env) {
            if (e.startsWith("PATH=")) path = e.substring(5);
            if (e.startsWith("HOME=")) home = true;
            if (!e.matches("(?s)[A-Za-z_][A-Za-z0-9_]*=.*")) plain = false;
        }
        if (!home) env.add("HOME=" + home(rootfs, spec.uid()));
        String argv0 = spec.args().get(0);
        StringBuilder b = new StringBuilder();
        b.append("cd ").append(q(spec.cwd())).append(" || exit 126\n");
        b.append("a0=").append(q(argv0)).append("\nc=$a0\n");
        // runc looks a bare name up on the process's PATH; without one, execvp's default
        b.append("p=").append(q(path != null ? path : "/bin:/usr/bin")).append('\n');
        b.append("case $c in\n */*) ;;\n *) f=\n  set -f\n  IFS=:\n  for d in $p; do\n")
                .append("   [ -n \"$d\" ] || d=.\n   if [ -f \"$d/$c\" ] && [ -x \"$d/$c\" ]; then f=\"$d/$c\"; break; fi\n  done\n  unset IFS\n  set +f\n")
                .append("  [ -n \"$f\" ] || { echo \"bulwark: $c: executable file not found in PATH $p\" >&2; exit 127; }\n  c=$f ;;\nesac\n");
        if (plain) {
            // the shell started with an empty environment and exported only these itself; then exactly the spec's
            b.append("unset PWD OLDPWD SHLVL PATH\n");
            for (String e : env) b.append("export ").append(q(e)).append('\n');
            b.append("exec -a \"$a0\" \"$c\"");
        } else {
            b.append("exec /.bulwark/busybox env -i");
            for (String e : env) b.append(' ').append(q(e));
            b.append(" \"$c\"");
        }
        for (String a : spec.args().subList(1, spec.args().size())) b.append(' ').append(q(a));
        b.append('\n');
        return b.toString();
    }

    /** The home directory of {@code uid} in the image's /etc/passwd (read without following links), else /. */
    static String home(Path rootfs, long uid) {
        Path f = rootfs.resolve("etc/passwd");
        try {
            if (Files.isSymbolicLink(rootfs.resolve("etc")) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > (4 << 20)) return "/";
            for (String line : Files.readAllLines(f, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                String[] p = line.split(":", -1);
                if (p.length >= 7 && p[2].equals(Long.toString(uid)) && p[5].startsWith("/")) return p[5];
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // an unreadable passwd is no passwd: runc says / then too
        }
        return "/";
    }

    /** Directories the overlay's top layer must hold: mount points the image lacks (never shadowing what it has). */
    static List<String> mountPoints(RunSpec spec, Path rootfs) {
        TreeSet<String> want = new TreeSet<>(List.of("/proc", "/dev", "/sys"));
        want.addAll(spec.tmpfs());
        for (RunSpec.Bind bind : spec.binds()) want.add(bind.target());
        TreeSet<String> dirs = new TreeSet<>();
        for (String w : want) {
            String norm = w.replaceAll("/+", "/").replaceAll("/$", "");
            if (norm.isEmpty()) continue;
            String[] parts = norm.substring(1).split("/");
            StringBuilder p = new StringBuilder();
            boolean present = true;
            for (String part : parts) {
                p.append('/').append(part);
                // once a component is missing from the image, everything below it comes from the top layer
                if (present && Files.exists(rootfs.resolve(p.substring(1)), LinkOption.NOFOLLOW_LINKS)) continue;
                present = false;
                dirs.add(p.toString());
            }
        }
        return new ArrayList<>(dirs);
    }

    static String bindTag(int i) {
        return "bulwark-bind-" + i;
    }

    /** One shell word, whatever the bytes (NUL excepted, which no argv or env entry can hold). */
    static String q(String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a NUL byte cannot be passed to the guest: " + s.replace('\0', '?'));
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
