package dev.bulwark.audit.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Linux audit rules that watch files: {@code -w PATH ...} and {@code -a ACTION,LIST ... -F path=PATH|dir=PATH ...},
 * from {@code /etc/audit/audit.rules}, {@code /etc/audit/rules.d/*.rules} (where CIS v1.7 puts them; augenrules
 * compiles them into audit.rules) and, on a live host, the loaded rules of {@code auditctl -l}.
 *
 * @param rules   every file rule found
 * @param sources what was read ("/etc/audit/rules.d/docker.rules", "auditctl -l"), for evidence
 */
record AuditRules(List<Rule> rules, List<String> sources) {

    /**
     * One rule.
     *
     * @param path   the watched path
     * @param dir    true for {@code -F dir=} (recursive) and for {@code -w} on a directory
     * @param never  true for exclusion rules ({@code -a never,exit})
     * @param text   the rule as written
     * @param source where it was found
     */
    record Rule(String path, boolean dir, boolean never, String text, String source) {
    }

    static AuditRules read(HostFs fs, boolean live) throws IOException {
        List<Rule> rules = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (String f : List.of("/etc/audit/audit.rules")) {
            Optional<String> text = fs.read(f);
            if (text.isPresent()) {
                sources.add(f);
                parse(text.get(), f, fs, rules);
            }
        }
        for (String f : fs.filesUnder("/etc/audit/rules.d")) {
            if (!f.endsWith(".rules")) continue;
            Optional<String> text = fs.read(f);
            if (text.isPresent()) {
                sources.add(f);
                parse(text.get(), f, fs, rules);
            }
        }
        if (live) {
            Optional<String> loaded = auditctl();
            if (loaded.isPresent()) {
                sources.add("auditctl -l");
                parse(loaded.get(), "auditctl -l", fs, rules);
            }
        }
        return new AuditRules(List.copyOf(rules), List.copyOf(sources));
    }

    private static Optional<String> auditctl() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            java.nio.file.Path exe = java.nio.file.Path.of(dir, "auditctl");
            if (!java.nio.file.Files.isExecutable(exe)) continue;
            try {
                Process p = new ProcessBuilder(exe.toString(), "-l").redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readNBytes(4 << 20);
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static void parse(String text, String source, HostFs fs, List<Rule> out) {
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] t = line.split("\\s+");
            String watch = null;
            boolean never = false;
            boolean isAppend = false;
            String path = null;
            boolean dir = false;
            for (int i = 0; i < t.length; i++) {
                switch (t[i]) {
                    case "-w" -> {
                        if (i + 1 < t.length) watch = t[++i];
                    }
                    case "-a", "-A" -> {
                        isAppend = true;
                        if (i + 1 < t.length) never = t[++i].toLowerCase(java.util.Locale.ROOT).contains("never");
                    }
                    case "-F" -> {
                        if (i + 1 < t.length) {
                            String f = t[++i];
                            if (f.startsWith("path=")) {
                                path = f.substring(5);
                            } else if (f.startsWith("dir=")) {
                                path = f.substring(4);
                                dir = true;
                            }
                        }
                    }
                    default -> {
                        // other options (-p, -k, -S...) do not change what is watched
                    }
                }
            }
            if (watch != null) {
                out.add(new Rule(strip(watch), fs.isDirectory(strip(watch)), false, line, source));
            } else if (isAppend && path != null) {
                out.add(new Rule(strip(path), dir, never, line, source));
            }
        }
    }

    private static String strip(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The first rule that audits {@code path}: a watch on it, or a recursive watch on a directory above it. */
    Optional<Rule> covering(String path) {
        String p = strip(path);
        for (Rule r : rules) {
            if (r.never()) continue;
            if (r.path().equals(p) || (r.dir() && p.startsWith(r.path() + "/"))) return Optional.of(r);
        }
        return Optional.empty();
    }
}
