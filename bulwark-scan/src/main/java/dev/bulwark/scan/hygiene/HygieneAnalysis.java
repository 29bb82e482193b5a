package dev.bulwark.scan.hygiene;

import dev.bulwark.model.Digest;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageEfficiency;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Image hygiene from what the layer walk already recorded (every entry's path, kind, size and mode, and which layer's
 * version is visible) and the image config: no layer is read again. The scanner feeds it every entry of every layer
 * with {@link #entry}, then {@link #finish} gives the problems found and the efficiency figures. docs/hygiene.md lists
 * the checks and why each is there.
 */
public final class HygieneAnalysis {
    /** A file version hidden by a later layer gets its own finding from this size on. */
    static final long WASTED_FILE_REPORT = 1 << 20;
    /** A layer (not the base) adding more than this many bytes of files is reported as large. */
    static final long LARGE_LAYER = 200L << 20;
    static final int MAX_PER_CHECK = 50;

    /** Package-manager caches: name, a pattern a cache file's path finds. */
    static final Map<String, Pattern> CACHES = new LinkedHashMap<>();

    static {
        CACHES.put("apt lists", Pattern.compile("^/var/lib/apt/lists/(?!lock$|partial/?$|auxfiles/?$)[^/]+$"));
        CACHES.put("apt archives", Pattern.compile("^/var/cache/apt/(?:archives/[^/]+\\.deb|[^/]+\\.bin)$"));
        CACHES.put("apk cache", Pattern.compile("^/var/cache/apk/[^/]+$|^/etc/apk/cache/[^/]+$"));
        CACHES.put("dnf/yum cache", Pattern.compile("^/var/cache/(?:dnf|yum)/.+"));
        CACHES.put("pip cache", Pattern.compile("/\\.cache/pip/.+"));
        CACHES.put("npm cache", Pattern.compile("/\\.npm/_cacache/.+"));
        CACHES.put("yarn cache", Pattern.compile("/\\.cache/yarn/.+|/usr/local/share/\\.cache/yarn/.+"));
    }

    /** Daemons that give remote shells: an attacker's first wish, and never needed in a container. */
    static final Map<String, String> REMOTE_ACCESS = Map.of(
            "/usr/sbin/sshd", "OpenSSH server", "/usr/sbin/dropbear", "Dropbear SSH server",
            "/usr/sbin/in.telnetd", "telnet server", "/usr/sbin/telnetd", "telnet server", "/usr/sbin/xrdp", "RDP server",
            "/usr/bin/Xvnc", "VNC server", "/usr/bin/x11vnc", "VNC server", "/usr/sbin/vsftpd", "FTP server",
            "/usr/sbin/in.rlogind", "rlogin server", "/usr/sbin/in.rshd", "rsh server");
    private static final Pattern UPDATE = Pattern.compile("\\b(?:apt-get|apt|apk|yum|dnf|zypper)\\s+(?:-\\S+\\s+)*(?:update|makecache|refresh)\\b");
    private static final Pattern INSTALL = Pattern.compile("\\b(?:install|upgrade|add|dist-upgrade)\\b");
    private static final Pattern ADD = Pattern.compile("(?:#\\(nop\\)\\s*|^)ADD\\s+(?:--\\S+\\s+)*(\\S+)\\s+(?:in\\s+)?(\\S+)");
    private static final Pattern BUILD_ARGS = Pattern.compile("^\\|([0-9]{1,3}) ");
    private static final Pattern SENSITIVE_ENV = Pattern.compile(
            "(?i)(?:^|_)(?:password|passwd|secret|token|api_?key|apikey|access_?key|private_?key|credentials?)(?:$|_)");
    private static final Pattern ENV_NOT_A_VALUE = Pattern.compile("(?i)_(?:file|path|dir|url|name|user|username|id|type)$");

    private final ImageInfo info;
    private long total;
    private long wasted;
    private long[] layerBytes;
    private final Map<String, Long> cacheBytes = new LinkedHashMap<>();
    private final Map<String, Integer> cacheFiles = new LinkedHashMap<>();
    private record Wasted(String path, long size, int layer) {
    }
    private final List<Wasted> wastedFiles = new ArrayList<>();
    private final List<HygieneFinding> setuid = new ArrayList<>();
    private final List<HygieneFinding> worldWritable = new ArrayList<>();
    private final List<HygieneFinding> remote = new ArrayList<>();
    private int setuidMore, worldWritableMore;

    public HygieneAnalysis(ImageInfo info) {
        this.info = info;
        this.layerBytes = new long[Math.max(1, info.layers().size())];
    }

    /**
     * One entry of one layer.
     *
     * @param kind    'f' regular file, 'd' directory, 'l' symbolic link, 'h' hard link, other: anything else
     * @param visible whether this layer's version is the one in the final filesystem
     */
    public void entry(int layer, String path, char kind, long size, int mode, boolean visible) {
        if (kind == 'f') {
            total += size;
            if (layer >= 0) {
                if (layer >= layerBytes.length) layerBytes = java.util.Arrays.copyOf(layerBytes, layer + 1);
                layerBytes[layer] += size;
            }
            if (!visible) {
                wasted += size;
                if (size >= WASTED_FILE_REPORT) wastedFiles.add(new Wasted(path, size, layer));
            }
        }
        if (!visible) return;
        // device nodes (some layer walkers see them as files) and kernel filesystems belong to the runtime, not the image
        if (path.startsWith("/dev/") || path.startsWith("/proc/") || path.startsWith("/sys/")) return;
        if (kind == 'f') {
            for (Map.Entry<String, Pattern> c : CACHES.entrySet()) {
                if (c.getValue().matcher(path).find()) {
                    cacheBytes.merge(c.getKey(), size, Long::sum);
                    cacheFiles.merge(c.getKey(), 1, Integer::sum);
                    break;
                }
            }
            if ((mode & 06000) != 0) {
                String bits = ((mode & 04000) != 0 ? "setuid" : "") + ((mode & 06000) == 06000 ? "+" : "") + ((mode & 02000) != 0 ? "setgid" : "");
                if (setuid.size() < MAX_PER_CHECK) setuid.add(new HygieneFinding("CIS-4.8", "Setuid and setgid permissions removed where not needed",
                        Severity.NEGLIGIBLE, path, diffId(layer), bits + " file, mode " + octal(mode),
                        "RUN chmod u-s,g-s " + path + " (or remove the file) unless the image needs it"));
                else setuidMore++;
            }
            String daemon = REMOTE_ACCESS.get(path);
            if (daemon != null) remote.add(new HygieneFinding("BW-H-REMOTE-ACCESS", "No remote-access daemon in the image", Severity.MEDIUM,
                    path, diffId(layer), daemon + " installed", "remove the package that installs " + path + "; use docker exec for access"));
        }
        if ((kind == 'f' || kind == 'd') && (mode & 0002) != 0 && !(kind == 'd' && (mode & 01000) != 0)) {
            if (worldWritable.size() < MAX_PER_CHECK) worldWritable.add(new HygieneFinding("BW-H-WORLD-WRITABLE",
                    "No world-writable files or directories", kind == 'f' ? Severity.MEDIUM : Severity.LOW, path, diffId(layer),
                    (kind == 'f' ? "file" : "directory without the sticky bit") + ", mode " + octal(mode),
                    "RUN chmod o-w " + path + (kind == 'd' ? " (or chmod +t for a shared directory)" : "")));
            else worldWritableMore++;
        }
    }

    public record Result(List<HygieneFinding> findings, ImageEfficiency efficiency) {
    }

    public Result finish() {
        List<HygieneFinding> out = new ArrayList<>();
        config(out);
        history(out);
        out.addAll(setuid);
        if (setuidMore > 0) out.add(new HygieneFinding("CIS-4.8", "Setuid and setgid permissions removed where not needed", Severity.NEGLIGIBLE,
                "filesystem", null, setuidMore + " more setuid/setgid files not listed", "review them with: find / -perm /6000 -type f"));
        out.addAll(worldWritable);
        if (worldWritableMore > 0) out.add(new HygieneFinding("BW-H-WORLD-WRITABLE", "No world-writable files or directories", Severity.LOW,
                "filesystem", null, worldWritableMore + " more world-writable entries not listed", "review them with: find / -xdev -perm -o+w ! -type l"));
        out.addAll(remote);
        efficiency(out);
        double score = total == 0 ? 1.0 : 1.0 - (double) wasted / total;
        long caches = cacheBytes.values().stream().mapToLong(Long::longValue).sum();
        return new Result(out, new ImageEfficiency(total, wasted, caches, score));
    }

    private void config(List<HygieneFinding> out) {
        Map<String, String> c = info.config();
        if (info.imageId() == null && c.isEmpty()) return; // a root filesystem: no config to judge
        String user = c.getOrDefault("user", "").strip();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.isEmpty() || name.equals("root") || name.equals("0"))
            out.add(new HygieneFinding("CIS-4.1", "A user for the container has been created", Severity.MEDIUM, "image config", null,
                    name.isEmpty() ? "User is not set: the container runs as root" : "User is " + user,
                    "add a user (RUN useradd -r -u 10001 app) and USER app (or a numeric UID) after the steps that need root"));
        if ("false".equals(c.get("healthcheck")))
            out.add(new HygieneFinding("CIS-4.6", "HEALTHCHECK instructions have been added to the container image", Severity.LOW, "image config",
                    null, "no Healthcheck in the config", "add HEALTHCHECK CMD <a command that fails when the service is unhealthy>"));
        String envNames = c.getOrDefault("envNames", "");
        for (String n : envNames.split(",")) {
            String name2 = n.strip();
            if (!name2.isEmpty() && SENSITIVE_ENV.matcher(name2).find() && !ENV_NOT_A_VALUE.matcher(name2).find())
                out.add(new HygieneFinding("CIS-4.10", "Secrets are not stored in Dockerfiles", Severity.HIGH, "image config", null,
                        "ENV " + name2 + " is set in the image: its value is in the config of every copy",
                        "pass it at run time (docker run -e, a secret mount) or use RUN --mount=type=secret at build time"));
        }
    }

    private void history(List<HygieneFinding> out) {
        for (LayerInfo l : info.layers()) {
            String h = l.createdBy();
            if (h == null) continue;
            String cmd = h.replace("\\\n", " ");
            if (UPDATE.matcher(cmd).find() && !INSTALL.matcher(cmd.substring(updateEnd(cmd))).find())
                out.add(new HygieneFinding("CIS-4.7", "Update instructions are not used alone in the Dockerfile", Severity.LOW,
                        "history[" + l.index() + "]", l.diffId(), abbreviate(cmd),
                        "update and install in one RUN: RUN apt-get update && apt-get install -y --no-install-recommends ... && rm -rf /var/lib/apt/lists/*"));
            var m = ADD.matcher(cmd);
            if (m.find()) {
                String src = m.group(1), dest = m.group(2);
                // The base of most images is "ADD rootfs.tar /" in its first layer: that is what ADD is for.
                boolean baseTarball = l.index() == 0 && dest.equals("/");
                if (!baseTarball) out.add(new HygieneFinding("CIS-4.9", "COPY is used instead of ADD in Dockerfiles",
                        src.contains("://") ? Severity.MEDIUM : Severity.LOW, "history[" + l.index() + "]", l.diffId(), abbreviate(cmd),
                        "use COPY for local files; fetch URLs with a checksum-verified download in RUN"));
            }
        }
    }

    private static int updateEnd(String cmd) {
        var m = UPDATE.matcher(cmd);
        return m.find() ? m.end() : 0;
    }

    private void efficiency(List<HygieneFinding> out) {
        wastedFiles.sort(Comparator.comparingLong(Wasted::size).reversed().thenComparing(Wasted::path));
        int shown = 0;
        for (Wasted w : wastedFiles) {
            if (shown++ >= MAX_PER_CHECK) break;
            out.add(new HygieneFinding("BW-H-WASTE", "No bytes wasted on files a later layer removes or replaces", Severity.LOW, w.path(),
                    diffId(w.layer()), size(w.size()) + " in layer " + w.layer() + ", removed or replaced by a later layer",
                    "create and remove the file in the same RUN, or use a multi-stage build and copy only what is needed"));
        }
        for (Map.Entry<String, Long> c : cacheBytes.entrySet()) {
            if (c.getValue() == 0 && cacheFiles.getOrDefault(c.getKey(), 0) == 0) continue;
            out.add(new HygieneFinding("BW-H-CACHE", "No package-manager caches left in the image", Severity.LOW, c.getKey(), null,
                    cacheFiles.get(c.getKey()) + " files, " + size(c.getValue()), fixFor(c.getKey())));
        }
        for (int i = 1; i < layerBytes.length; i++) {
            if (layerBytes[i] > LARGE_LAYER)
                out.add(new HygieneFinding("BW-H-LARGE-LAYER", "Layers stay small", Severity.NEGLIGIBLE, "layer " + i, diffId(i),
                        size(layerBytes[i]) + " of files", "split the step, clean up in the same RUN, or use a multi-stage build"));
        }
    }

    private static String fixFor(String cache) {
        return switch (cache) {
            case "apt lists", "apt archives" -> "end the RUN that installs with: && apt-get clean && rm -rf /var/lib/apt/lists/*";
            case "apk cache" -> "use apk add --no-cache";
            case "dnf/yum cache" -> "end the RUN that installs with: && dnf clean all (or yum clean all)";
            case "pip cache" -> "use pip install --no-cache-dir";
            case "npm cache" -> "end the RUN that installs with: && npm cache clean --force";
            default -> "remove the cache in the RUN that fills it";
        };
    }

    private Digest diffId(int layer) {
        List<LayerInfo> ls = info.layers();
        return layer >= 0 && layer < ls.size() ? ls.get(layer).diffId() : null;
    }

    static String octal(int mode) {
        return String.format(Locale.ROOT, "%04o", mode & 07777);
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
    }

    /** History lines can hold build-ARG values ("|2 TOKEN=... /bin/sh -c ..."): those are masked before showing. */
    static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        var m = BUILD_ARGS.matcher(t);
        if (m.find()) {
            int n = Integer.parseInt(m.group(1));
            StringBuilder b = new StringBuilder(t.substring(0, m.end()));
            String[] words = t.substring(m.end()).split(" ", -1);
            for (int i = 0; i < words.length; i++) {
                String w = words[i];
                int eq = w.indexOf('=');
                b.append(i < n && eq > 0 ? w.substring(0, eq + 1) + "***" : w);
                if (i < words.length - 1) b.append(' ');
            }
            t = b.toString();
        }
        return t.length() <= 160 ? t : t.substring(0, 157) + "...";
    }
}
