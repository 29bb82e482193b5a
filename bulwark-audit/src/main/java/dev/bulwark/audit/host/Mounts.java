package dev.bulwark.audit.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host's mount table ({@code /proc/self/mountinfo}, else {@code /proc/mounts}). */
record Mounts(List<Mount> mounts) {

    /**
     * One mount.
     *
     * @param id       mount id (mountinfo), or the line number
     * @param parent   parent mount id (mountinfo), or -1
     * @param device   "major:minor" (mountinfo), or the source device (/proc/mounts)
     * @param root     the subtree of the filesystem mounted here ("/" unless a bind mount of a subdirectory)
     * @param point    the mount point
     * @param fsType   the filesystem type
     * @param source   the mount source ("/dev/vdb1")
     */
    record Mount(int id, int parent, String device, String root, String point, String fsType, String source) {
        String describe() {
            return source + " (" + fsType + ", device " + device + (root.equals("/") ? "" : ", subtree " + root)
                + ") on " + point;
        }

        /** True when this is a bind mount of the filesystem its parent mount is on (not a partition of its own). */
        boolean bindOfSameDevice(Mounts all) {
            for (Mount m : all.mounts()) {
                if (m.id == parent && m.id != id) return m.device.equals(device);
            }
            return !root.equals("/");
        }
    }

    static Mounts fromMountinfo(String text) {
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 10) continue;
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 2 >= f.length) continue;
            try {
                out.add(new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]), unescape(f[4]),
                    f[dash + 1], unescape(f[dash + 2])));
            } catch (NumberFormatException e) {
                // skip a malformed line
            }
        }
        return new Mounts(List.copyOf(out));
    }

    static Mounts fromProcMounts(String text) {
        List<Mount> out = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 3) continue;
            n++;
            out.add(new Mount(n, -1, unescape(f[0]), "/", unescape(f[1]), f[2], unescape(f[0])));
        }
        return new Mounts(List.copyOf(out));
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The last mount whose mount point is exactly {@code path} (later mounts hide earlier ones). */
    Optional<Mount> at(String path) {
        String p = strip(path);
        Mount found = null;
        for (Mount m : mounts) {
            if (strip(m.point()).equals(p)) found = m;
        }
        return Optional.ofNullable(found);
    }

    /** The mount that holds {@code path}: the longest mount point above it. */
    Optional<Mount> containing(String path) {
        String p = strip(path);
        Mount best = null;
        for (Mount m : mounts) {
            String mp = strip(m.point());
            boolean above = mp.equals("/") || p.equals(mp) || p.startsWith(mp + "/");
            if (above && (best == null || mp.length() >= strip(best.point()).length())) best = m;
        }
        return Optional.ofNullable(best);
    }

    private static String strip(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
