package dev.bulwark.harden.imagetest;

import dev.bulwark.harden.imagetest.YamlTree.Field;
import dev.bulwark.harden.imagetest.YamlTree.Node;
import dev.bulwark.harden.imagetest.YamlTree.ScalarKind;
import dev.bulwark.harden.imagetest.YamlTree.YList;
import dev.bulwark.harden.imagetest.YamlTree.YMap;
import dev.bulwark.harden.imagetest.YamlTree.YScalar;
import dev.bulwark.harden.run.Isolation;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a spec file strictly: an unknown key, a value of the wrong type, a bad regex or an impossible value stops
 * the run with FILE:LINE and what was expected, before the image is opened. A typo that silently turned a test off
 * would let a broken image ship.
 */
public final class SpecParser {
    static final Set<String> TOP = Set.of("schemaVersion", "commandTests", "fileTests", "metadata", "licences", "gates");
    static final Set<String> COMMAND = Set.of("name", "run", "args", "env", "workdir", "user", "stdin", "timeout", "exitCode",
            "stdout", "stdoutNot", "stderr", "stderrNot", "isolation");
    static final Set<String> FILE = Set.of("name", "path", "exists", "type", "mode", "owner", "size", "contains", "notContains",
            "linkTarget", "noSetuid");
    static final Set<String> METADATA = Set.of("user", "env", "exposedPorts", "entrypoint", "cmd", "labels", "workdir", "volumes",
            "healthcheck", "base");
    static final Set<String> BASE = Set.of("image", "digest");
    static final Set<String> LICENCES = Set.of("requiredFiles", "packageCopyright", "forbidden");
    static final Set<String> GATES = Set.of("severity", "ignoreUnfixed", "noSecrets", "audit");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final int MAX_TESTS = 10_000;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m|h)?");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private final String file;

    private SpecParser(String file) {
        this.file = file;
    }

    /** Reads and checks a spec file. */
    public static Spec read(Path path) throws SpecException {
        String name = path.toString();
        try {
            if (!Files.isRegularFile(path)) throw SpecException.at(name, 0, Files.exists(path) ? "not a regular file" : "no such file");
            if (Files.size(path) > YamlTree.MAX_BYTES) throw SpecException.at(name, 0, "spec is larger than " + (YamlTree.MAX_BYTES >> 10) + " KiB");
            return parse(Files.readAllBytes(path), name);
        } catch (IOException e) {
            throw SpecException.at(name, 0, "cannot read: " + e.getMessage());
        }
    }

    /** Parses spec text; {@code file} names it in errors. */
    public static Spec parse(byte[] yaml, String file) throws SpecException {
        return new SpecParser(file).spec(YamlTree.parse(yaml, file));
    }

    private Spec spec(Node root) throws SpecException {
        YMap m = map(root, "the spec");
        keys(m, TOP, "the spec");
        Field v = m.fields().get("schemaVersion");
        if (v == null) throw error(root.line(), "schemaVersion is missing: the first line of a spec is 'schemaVersion: 1'");
        if (!(v.value() instanceof YScalar s) || !s.text().equals("1"))
            throw error(v.line(), "schemaVersion must be 1 (found " + describe(v.value()) + ")");
        List<Spec.CommandTest> commands = new ArrayList<>();
        List<Spec.FileTest> files = new ArrayList<>();
        Field c = m.fields().get("commandTests");
        if (c != null) {
            List<Node> items = list(c.value(), "commandTests");
            for (int i = 0; i < items.size(); i++) commands.add(command(items.get(i), "commandTests[" + i + "]"));
        }
        Field f = m.fields().get("fileTests");
        if (f != null) {
            List<Node> items = list(f.value(), "fileTests");
            for (int i = 0; i < items.size(); i++) files.add(fileTest(items.get(i), "fileTests[" + i + "]"));
        }
        if (commands.size() + files.size() > MAX_TESTS) throw error(root.line(), "more than " + MAX_TESTS + " tests");
        Field md = m.fields().get("metadata");
        Field lic = m.fields().get("licences");
        Field g = m.fields().get("gates");
        Spec spec = new Spec(file, commands, files, md == null ? null : metadata(md.value()), lic == null ? null : licences(lic.value()),
                g == null ? null : gates(g.value()));
        if (spec.size() == 0) throw error(root.line(), "the spec holds no test (commandTests, fileTests, metadata, licences or gates)");
        return spec;
    }

    // ------------------------------------------------------------------ the sections

    private Spec.CommandTest command(Node n, String where) throws SpecException {
        YMap m = map(n, where);
        keys(m, COMMAND, where);
        List<String> run = optStrings(m, "run", where);
        List<String> args = optStrings(m, "args", where);
        if (!run.isEmpty() && !args.isEmpty())
            throw error(m.fields().get("args").line(), where + ": give run (the whole command) or args (after the image's ENTRYPOINT), not both");
        if (m.fields().containsKey("run") && run.isEmpty()) throw error(m.fields().get("run").line(), where + ".run: empty command");
        Map<String, String> env = new LinkedHashMap<>();
        Field e = m.fields().get("env");
        if (e != null) {
            YMap em = map(e.value(), where + ".env");
            for (Field ef : em.fields().values()) {
                if (!ef.key().matches("[A-Za-z_][A-Za-z0-9_.-]*")) throw error(ef.line(), where + ".env: '" + YamlTree.printable(ef.key()) + "' is not a variable name");
                if (ef.value() instanceof YScalar s && s.scalar() == ScalarKind.NULL) env.put(ef.key(), null);
                else env.put(ef.key(), scalar(ef.value(), where + ".env." + ef.key()));
            }
        }
        String workdir = optString(m, "workdir", where);
        if (workdir != null && !workdir.startsWith("/")) throw error(m.fields().get("workdir").line(), where + ".workdir must be absolute: " + workdir);
        String user = optString(m, "user", where);
        if (user != null && !user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?"))
            throw error(m.fields().get("user").line(), where + ".user: expected UID[:GID] or NAME[:GROUP], found '" + YamlTree.printable(user) + "'");
        String stdin = optString(m, "stdin", where);
        Duration timeout = DEFAULT_TIMEOUT;
        Field t = m.fields().get("timeout");
        if (t != null) timeout = duration(t, where + ".timeout");
        Integer exit = null;
        Field x = m.fields().get("exitCode");
        if (x != null) {
            exit = integer(x.value(), where + ".exitCode");
            if (exit < 0 || exit > 255) throw error(x.line(), where + ".exitCode must be 0..255 (found " + exit + ")");
        }
        Isolation isolation = null;
        String level = optString(m, "isolation", where);
        if (level != null) {
            try {
                isolation = Isolation.parse(level);
            } catch (IllegalArgumentException ex) {
                throw error(m.fields().get("isolation").line(), where + ".isolation: expected container, sandbox or vm, found '" + YamlTree.printable(level) + "'");
            }
            if (isolation == Isolation.VM && stdin != null)
                throw error(m.fields().get("stdin").line(), where + ".stdin: a command in a VM reads /dev/null (stdin is not passed into the VM)");
        }
        String name = optString(m, "name", where);
        if (name == null) {
            List<String> shown = !run.isEmpty() ? run : args.isEmpty() ? List.of("(entrypoint and cmd)") : args;
            name = "command " + String.join(" ", shown);
        }
        if (exit == null && !m.fields().containsKey("stdout") && !m.fields().containsKey("stdoutNot") && !m.fields().containsKey("stderr")
                && !m.fields().containsKey("stderrNot"))
            exit = 0;
        return new Spec.CommandTest(name, n.line(), run, args, env, workdir, user, stdin, timeout, exit, regexes(m, "stdout", where),
                regexes(m, "stdoutNot", where), regexes(m, "stderr", where), regexes(m, "stderrNot", where), isolation);
    }

    private Spec.FileTest fileTest(Node n, String where) throws SpecException {
        YMap m = map(n, where);
        keys(m, FILE, where);
        Field p = m.fields().get("path");
        if (p == null) throw error(n.line(), where + ": path is missing");
        String path = scalar(p.value(), where + ".path");
        if (!path.startsWith("/") || path.contains("\0")) throw error(p.line(), where + ".path must be absolute: " + YamlTree.printable(path));
        path = normalise(path);
        boolean exists = true;
        Field ex = m.fields().get("exists");
        if (ex != null) exists = bool(ex.value(), where + ".exists");
        Spec.FileType type = null;
        Field ty = m.fields().get("type");
        if (ty != null) {
            String v = scalar(ty.value(), where + ".type");
            type = switch (v) {
                case "file" -> Spec.FileType.FILE;
                case "directory" -> Spec.FileType.DIRECTORY;
                case "symlink" -> Spec.FileType.SYMLINK;
                default -> throw error(ty.line(), where + ".type: one of file, directory, symlink (found '" + YamlTree.printable(v) + "')");
            };
        }
        Integer mode = null;
        Field mo = m.fields().get("mode");
        if (mo != null) {
            String v = scalar(mo.value(), where + ".mode");
            // unquoted, YAML reads 0755 as a number (octal in YAML 1.1, decimal in 1.2): only a string is unambiguous
            if (!(mo.value() instanceof YScalar ms && ms.scalar() == ScalarKind.STRING) || !v.matches("0?[0-7]{3,4}")) throw error(mo.line(), where + ".mode: octal permission bits like \"0755\" or \"4755\" (found '" + YamlTree.printable(v) + "')");
            mode = Integer.parseInt(v, 8);
            if (mode > 07777) throw error(mo.line(), where + ".mode: above 07777");
        }
        String owner = optString(m, "owner", where);
        if (owner != null && !owner.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?"))
            throw error(m.fields().get("owner").line(), where + ".owner: expected UID[:GID] or NAME[:GROUP]");
        Long size = null;
        Field sz = m.fields().get("size");
        if (sz != null) {
            size = (long) integer(sz.value(), where + ".size");
            if (size < 0) throw error(sz.line(), where + ".size must not be negative");
        }
        String link = optString(m, "linkTarget", where);
        boolean noSetuid = false;
        Field ns = m.fields().get("noSetuid");
        if (ns != null) noSetuid = bool(ns.value(), where + ".noSetuid");
        List<Pattern> contains = regexes(m, "contains", where);
        List<Pattern> notContains = regexes(m, "notContains", where);
        if (!exists) {
            for (String k : List.of("type", "mode", "owner", "size", "contains", "notContains", "linkTarget", "noSetuid")) {
                if (m.fields().containsKey(k)) throw error(m.fields().get(k).line(), where + ": " + k + " cannot be checked on a path that must not exist");
            }
        }
        if (link != null && type != null && type != Spec.FileType.SYMLINK)
            throw error(m.fields().get("linkTarget").line(), where + ": linkTarget needs type symlink");
        String name = optString(m, "name", where);
        if (name == null) name = (exists ? "file " : "absent ") + path;
        return new Spec.FileTest(name, n.line(), path, exists, type, mode, owner, size, contains, notContains, link, noSetuid);
    }

    private Spec.MetadataTest metadata(Node n) throws SpecException {
        String where = "metadata";
        YMap m = map(n, where);
        keys(m, METADATA, where);
        Spec.Expect<List<String>> ports = expect(m, "exposedPorts", f -> {
            List<String> out = new ArrayList<>();
            for (String s : strings(f.value(), "metadata.exposedPorts")) {
                String p = s.contains("/") ? s : s + "/tcp";
                if (!p.matches("\\d{1,5}/(tcp|udp|sctp)")) throw error(f.line(), "metadata.exposedPorts: '" + YamlTree.printable(s) + "' is not PORT[/tcp|udp|sctp]");
                out.add(p);
            }
            return out;
        });
        Spec.Expect<Spec.BaseImage> base = expect(m, "base", f -> {
            YMap b = map(f.value(), "metadata.base");
            keys(b, BASE, "metadata.base");
            String image = optString(b, "image", "metadata.base");
            String digest = optString(b, "digest", "metadata.base");
            if (image == null) throw error(f.line(), "metadata.base.image is missing: the base image to compare layers with");
            if (digest != null && !DIGEST.matcher(digest).matches())
                throw error(b.fields().get("digest").line(), "metadata.base.digest: expected sha256:<64 hex digits>");
            return new Spec.BaseImage(image, digest);
        });
        return new Spec.MetadataTest(expect(m, "user", f -> scalar(f.value(), "metadata.user")),
                expect(m, "env", f -> stringMap(f.value(), "metadata.env")), ports,
                expect(m, "entrypoint", f -> strings(f.value(), "metadata.entrypoint")),
                expect(m, "cmd", f -> strings(f.value(), "metadata.cmd")),
                expect(m, "labels", f -> stringMap(f.value(), "metadata.labels")),
                expect(m, "workdir", f -> scalar(f.value(), "metadata.workdir")),
                expect(m, "volumes", f -> strings(f.value(), "metadata.volumes")),
                expect(m, "healthcheck", f -> bool(f.value(), "metadata.healthcheck")), base);
    }

    private Spec.LicenceTest licences(Node n) throws SpecException {
        YMap m = map(n, "licences");
        keys(m, LICENCES, "licences");
        return new Spec.LicenceTest(expect(m, "requiredFiles", f -> {
            List<String> out = new ArrayList<>();
            for (String s : strings(f.value(), "licences.requiredFiles")) {
                if (!s.startsWith("/")) throw error(f.line(), "licences.requiredFiles: '" + YamlTree.printable(s) + "' is not an absolute path");
                out.add(normalise(s));
            }
            return out;
        }), expect(m, "packageCopyright", f -> bool(f.value(), "licences.packageCopyright")),
                expect(m, "forbidden", f -> {
                    List<String> out = strings(f.value(), "licences.forbidden");
                    for (String s : out) if (!s.matches("[A-Za-z0-9.+*-]+")) throw error(f.line(), "licences.forbidden: '" + YamlTree.printable(s) + "' is not an SPDX id pattern");
                    return out;
                }));
    }

    private Spec.Gates gates(Node n) throws SpecException {
        YMap m = map(n, "gates");
        keys(m, GATES, "gates");
        boolean ignoreUnfixed = false;
        Field iu = m.fields().get("ignoreUnfixed");
        if (iu != null) ignoreUnfixed = bool(iu.value(), "gates.ignoreUnfixed");
        Spec.Expect<Severity> sev = expect(m, "severity", f -> {
            String s = scalar(f.value(), "gates.severity");
            Severity v = s.matches("(?i)negligible|low|medium|high|critical") ? Severity.parse(s) : Severity.UNKNOWN;
            if (v == Severity.UNKNOWN) throw error(f.line(), "gates.severity: one of NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL (found '" + YamlTree.printable(s) + "')");
            return v;
        });
        Spec.Expect<List<String>> audit = expect(m, "audit", f -> {
            List<String> ids = f.value() instanceof YList ? strings(f.value(), "gates.audit") : List.of(scalar(f.value(), "gates.audit"));
            if (ids.isEmpty()) throw error(f.line(), "gates.audit: a profile name or a list of check ids");
            for (String id : ids) if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw error(f.line(), "gates.audit: '" + YamlTree.printable(id) + "' is not a check id or profile");
            return ids;
        });
        if (iu != null && sev == null) throw error(iu.line(), "gates.ignoreUnfixed needs gates.severity");
        return new Spec.Gates(sev, ignoreUnfixed, expect(m, "noSecrets", f -> bool(f.value(), "gates.noSecrets")), audit);
    }

    // ------------------------------------------------------------------ typed access

    private interface Reader<T> {
        T read(Field f) throws SpecException;
    }

    private <T> Spec.Expect<T> expect(YMap m, String key, Reader<T> r) throws SpecException {
        Field f = m.fields().get(key);
        return f == null ? null : new Spec.Expect<>(r.read(f), f.line());
    }

    private SpecException error(int line, String message) {
        return SpecException.at(file, line, message);
    }

    private YMap map(Node n, String where) throws SpecException {
        if (n instanceof YMap m) return m;
        throw error(n.line(), where + ": expected a map, found " + describe(n));
    }

    private List<Node> list(Node n, String where) throws SpecException {
        if (n instanceof YList l) return l.items();
        throw error(n.line(), where + ": expected a list, found " + describe(n));
    }

    private void keys(YMap m, Set<String> known, String where) throws SpecException {
        for (Field f : m.fields().values()) {
            if (!known.contains(f.key()))
                throw error(f.line(), "unknown key '" + YamlTree.printable(f.key()) + "' in " + where + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
        }
    }

    private String scalar(Node n, String where) throws SpecException {
        if (n instanceof YScalar s && s.scalar() != ScalarKind.NULL) {
            if (s.text().indexOf('\0') >= 0) throw error(n.line(), where + ": NUL byte");
            return s.text();
        }
        throw error(n.line(), where + ": expected a string, found " + describe(n));
    }

    private String optString(YMap m, String key, String where) throws SpecException {
        Field f = m.fields().get(key);
        return f == null ? null : scalar(f.value(), where + "." + key);
    }

    private boolean bool(Node n, String where) throws SpecException {
        if (n instanceof YScalar s && s.scalar() == ScalarKind.BOOLEAN) return Boolean.parseBoolean(s.text());
        throw error(n.line(), where + ": expected true or false, found " + describe(n));
    }

    private int integer(Node n, String where) throws SpecException {
        if (n instanceof YScalar s && s.scalar() == ScalarKind.NUMBER && s.text().matches("-?\\d{1,9}")) return Integer.parseInt(s.text());
        throw error(n.line(), where + ": expected a whole number, found " + describe(n));
    }

    private List<String> strings(Node n, String where) throws SpecException {
        List<String> out = new ArrayList<>();
        for (Node i : list(n, where)) out.add(scalar(i, where + "[" + out.size() + "]"));
        return out;
    }

    private List<String> optStrings(YMap m, String key, String where) throws SpecException {
        Field f = m.fields().get(key);
        return f == null ? List.of() : strings(f.value(), where + "." + key);
    }

    private Map<String, String> stringMap(Node n, String where) throws SpecException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : map(n, where).fields().values()) out.put(f.key(), scalar(f.value(), where + "." + f.key()));
        return out;
    }

    private List<Pattern> regexes(YMap m, String key, String where) throws SpecException {
        Field f = m.fields().get(key);
        if (f == null) return List.of();
        List<Node> items = f.value() instanceof YList l ? l.items() : List.of(f.value());
        List<Pattern> out = new ArrayList<>();
        for (Node i : items) {
            String re = scalar(i, where + "." + key);
            try {
                out.add(Pattern.compile(re, Pattern.MULTILINE));
            } catch (PatternSyntaxException e) {
                throw error(i.line(), where + "." + key + ": bad regular expression '" + YamlTree.printable(re) + "': " + e.getDescription());
            }
        }
        return out;
    }

    private Duration duration(Field f, String where) throws SpecException {
        String s = scalar(f.value(), where);
        Matcher mt = DURATION.matcher(s);
        if (!mt.matches()) throw error(f.line(), where + ": expected a duration like 30s, 2m or 500ms (found '" + YamlTree.printable(s) + "')");
        long v = Long.parseLong(mt.group(1));
        String unit = mt.group(2) == null ? "s" : mt.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> Duration.ofSeconds(v);
        };
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) throw error(f.line(), where + ": must be above 0 and at most 1h (found " + s + ")");
        return d;
    }

    private static String describe(Node n) {
        if (n instanceof YScalar s && s.scalar() != ScalarKind.NULL) return s.kind() + " '" + YamlTree.printable(s.text()) + "'";
        return n.kind();
    }

    static String normalise(String path) {
        return dev.bulwark.image.PathNames.resolveInImage("/", path);
    }
}
