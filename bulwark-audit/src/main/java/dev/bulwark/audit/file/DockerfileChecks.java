package dev.bulwark.audit.file;

import dev.bulwark.audit.file.Dockerfile.Stage;
import dev.bulwark.audit.file.Shell.Invocation;
import dev.bulwark.audit.file.Shell.Word;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dockerfile checks (CIS Docker Benchmark section 4 and Bulwark's DF-* checks). Checks about what the image
 * runs as (USER, HEALTHCHECK) look at the final stage and the stages it is built FROM; checks about what a layer
 * contains look at every stage, or at the final stage's chain where only the shipped layers matter.
 */
final class DockerfileChecks {
    private static final Set<String> APT = Set.of("apt-get", "apt", "aptitude");
    private static final Set<String> APT_OPTS_WITH_ARG = Set.of("-o", "-c", "-t", "-a", "--option", "--config-file",
            "--target-release", "--default-release", "--host-architecture");
    private static final Set<String> APK_OPTS_WITH_ARG = Set.of("-t", "--virtual", "-X", "--repository", "-p",
            "--root", "--arch", "--keys-dir", "--cache-dir", "--repositories-file");
    private static final Set<String> PIP_OPTS_WITH_ARG = Set.of("-r", "--requirement", "-c", "--constraint", "-e",
            "--editable", "-i", "--index-url", "--extra-index-url", "-t", "--target", "--prefix", "--root", "-f",
            "--find-links", "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--src",
            "--cache-dir", "--log", "--proxy", "--timeout", "--retries", "--upgrade-strategy", "--progress-bar",
            "--global-option", "--config-settings", "-C", "--report", "--only-binary", "--no-binary");
    private static final Set<String> YUM_OPTS_WITH_ARG = Set.of("-c", "--config", "--installroot", "--releasever",
            "--enablerepo", "--disablerepo", "--setopt", "-x", "--exclude");
    private static final Set<String> INTERPRETERS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "fish",
            "python", "python2", "python3", "perl", "ruby", "node", "php", "pwsh");
    private static final Set<String> SSH_SERVERS = Set.of("openssh-server", "openssh", "dropbear", "ssh",
            "openssh-server-pam", "tinysshd");
    private static final Pattern SUBSTITUTED_DOWNLOAD = Pattern.compile(
            "(?:\\b(?:sh|bash|ash|dash|zsh|ksh)\\s+(?:-[a-zA-Z]*c[a-zA-Z]*\\s+)?|\\beval\\s+|\\bsource\\s+|(?:^|[;&|(\\s])\\.\\s+)"
                    + "[\"']?(?:\\$\\(|<\\(|`)\\s*(?:curl|wget)\\b[^)`]*");
    private static final Pattern ARCHIVE = Pattern.compile("(?i).*\\.(?:tar|tar\\.gz|tgz|tar\\.bz2|tbz2?|tar\\.xz|txz)$");
    private static final Pattern URL = Pattern.compile("(?i)^(?:https?|ftp)://\\S+");
    private static final Pattern ONE_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)(?:https?|ftp)://[^\\s\"')`]+");
    private static final Pattern APK_PIN = Pattern.compile(".*[=~<>].*");
    private static final Pattern PIP_PIN = Pattern.compile(".*(==|>=|<=|~=|!=|<|>|@).*");
    private static final Pattern PIP_FILE = Pattern.compile("(?i).*\\.(whl|zip|tar\\.gz)$");
    private static final Pattern SYMBOLIC_REMOVE = Pattern.compile("-[rwxXst]+");
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");
    private static final Pattern SYMBOLIC = Pattern.compile("[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*");
    private static final Pattern CLAUSE = Pattern.compile("([ugoa]*)([-+=])([rwxXst]*)");
    private static final Pattern NO_RECOMMENDS_OPTION = Pattern.compile("(?i)(-o|--option=?)?APT::Install-Recommends=(false|0|no)");
    private static final Pattern GIT = Pattern.compile("(?i)^(?:git@\\S+|\\S+\\.git(?:#\\S*)?|git://\\S+)$");
    private static final Pattern SECRET_FILE = Pattern.compile(
            "(?i)(?:^|.*/)(?:id_(?:rsa|dsa|ecdsa|ed25519)|[^/]*\\.(?:key|p12|pfx|jks|keystore)|\\.env(?:\\.(?!example|sample|template|dist)[^/]+)?"
                    + "|\\.npmrc|\\.pypirc|\\.netrc|\\.git-credentials|\\.aws/credentials|\\.docker/config\\.json|\\.ssh(?:/.*)?)$");

    private final Dockerfile df;
    private final Results r;
    private final Set<Check> reported = EnumSet.noneOf(Check.class);
    private final Map<String, String> globals = new HashMap<>();
    private final List<State> states = new ArrayList<>();

    /** What is known about one stage once it has been read. */
    private static final class State {
        final Stage stage;
        State parent;
        String external;
        boolean externalComplete = true;
        boolean finalChain;
        final Map<String, String> env = new LinkedHashMap<>();
        final Map<String, String> args = new LinkedHashMap<>();
        Instruction user;
        Vars.Expanded userValue;
        Instruction health;
        final List<Integer> ports = new ArrayList<>();

        State(Stage stage) {
            this.stage = stage;
        }

        Map<String, String> vars() {
            Map<String, String> m = new HashMap<>(args);
            m.putAll(env);
            return m;
        }
    }

    private DockerfileChecks(Dockerfile df, Results r) {
        this.df = df;
        this.r = r;
    }

    static void run(Dockerfile df, Results r) {
        new DockerfileChecks(df, r).run();
    }

    private void run() {
        for (Instruction g : df.globals()) {
            for (String[] kv : argPairs(g)) {
                if (kv[1] != null) globals.put(kv[0], Vars.dockerfile(kv[1], globals, df.escape()).value());
                else globals.putIfAbsent(kv[0], null);
            }
            secretsInArgOrEnv(g);
        }
        List<Stage> stages = df.stages();
        Map<String, State> byName = new HashMap<>();
        for (Stage s : stages) {
            State st = new State(s);
            Vars.Expanded base = Vars.dockerfile(s.image(), nonNull(globals), df.escape());
            State parent = byName.get(base.value().toLowerCase(Locale.ROOT));
            if (parent != null && parent.stage.index() < s.index()) {
                st.parent = parent;
                st.env.putAll(parent.env);
                st.external = parent.external;
                st.externalComplete = parent.externalComplete;
            } else {
                st.external = base.value();
                st.externalComplete = base.complete();
            }
            baseDigest(st, base);
            for (Instruction i : s.instructions()) instruction(st, i);
            states.add(st);
            if (s.name() != null) byName.put(s.name(), st);
        }
        State last = states.get(states.size() - 1);
        for (State s = last; s != null; s = s.parent) s.finalChain = true;
        for (State st : states) {
            if (!st.finalChain) continue;
            for (Instruction i : st.stage.instructions()) {
                if (i.keyword().equals("RUN")) runFinalChain(i);
            }
        }
        user(last);
        healthcheck(last);
        passes();
    }

    private static Map<String, String> nonNull(Map<String, String> m) {
        Map<String, String> out = new HashMap<>();
        m.forEach((k, v) -> {
            if (v != null) out.put(k, v);
        });
        return out;
    }

    // ---------------------------------------------------------------- per instruction

    private void instruction(State st, Instruction i) {
        switch (i.keyword()) {
            case "ARG" -> {
                for (String[] kv : argPairs(i)) {
                    if (kv[1] != null) st.args.put(kv[0], Vars.dockerfile(kv[1], st.vars(), df.escape()).value());
                    else if (globals.get(kv[0]) != null) st.args.put(kv[0], globals.get(kv[0]));
                }
                secretsInArgOrEnv(i);
            }
            case "ENV" -> {
                secretsInArgOrEnv(i);
                for (String[] kv : envPairs(i)) {
                    st.env.put(kv[0], Vars.dockerfile(kv[1], st.vars(), df.escape()).value());
                }
            }
            case "USER" -> {
                st.user = i;
                st.userValue = Vars.dockerfile(i.rest().strip(), st.vars(), df.escape());
            }
            case "HEALTHCHECK" -> st.health = i;
            case "EXPOSE" -> expose(st, i);
            case "RUN" -> run(st, i);
            case "ADD" -> {
                add(st, i);
                copyOrAdd(st, i);
            }
            case "COPY" -> copyOrAdd(st, i);
            default -> {
            }
        }
        if (!i.keyword().equals("ARG") && !i.keyword().equals("ENV")) secretShapes(i);
    }

    // ---------------------------------------------------------------- 4.1 USER

    private void user(State last) {
        State owner = last;
        while (owner != null && owner.user == null) owner = owner.parent;
        Instruction from = last.stage.from();
        String family = family(last);
        if (owner == null) {
            Instruction cmd = firstOf(last, "CMD", "ENTRYPOINT");
            String where = cmd != null ? "Add before line " + cmd.line() + " (" + cmd.keyword() + "):\n"
                    : "Add at the end of the final stage:\n";
            r.add(Check.DF_USER, AuditStatus.FAIL, null, from.line(), 0,
                    "no USER instruction in the final stage (FROM " + last.stage.image() + " at line " + from.line()
                            + "): the container runs as the base image's user, which is root unless the base image says otherwise",
                    where + userLines(family, true));
            reported.add(Check.DF_USER);
            return;
        }
        Vars.Expanded v = owner.userValue;
        String user = v.value().strip();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.equals("root") || name.matches("0+")) {
            r.add(Check.DF_USER, AuditStatus.FAIL, null, owner.user.line(), 0,
                    "USER " + owner.user.rest().strip() + (user.equals(owner.user.rest().strip()) ? "" : " (= " + user + ")")
                            + " makes the final stage run as root",
                    "Replace line " + owner.user.line() + " with:\n" + userLines(family, false));
            reported.add(Check.DF_USER);
        } else if (!v.complete() || name.isEmpty()) {
            r.add(Check.DF_USER, AuditStatus.WARN, null, owner.user.line(), 0,
                    "USER " + owner.user.rest().strip() + " depends on a build argument without a default: the user"
                            + " is whatever the build passes",
                    "Give the argument a non-root default, or write the user literally:\nUSER 10001:10001");
            reported.add(Check.DF_USER);
        } else {
            r.pass(Check.DF_USER, owner.user.line(), 0, "the final stage runs as USER " + user);
            reported.add(Check.DF_USER);
        }
    }

    private static String userLines(String family, boolean create) {
        return switch (family) {
            case "scratch" -> "USER 65534:65534";
            case "distroless" -> "USER 65532:65532";
            case "alpine" -> (create ? "RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app\n" : "")
                    + "USER 10001:10001";
            default -> (create ? "RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app "
                    + "--no-create-home --shell /usr/sbin/nologin app\n" : "") + "USER 10001:10001";
        };
    }

    /** scratch, distroless (ships a nonroot user 65532), alpine (BusyBox adduser), or other (shadow's useradd). */
    private static String family(State st) {
        String b = st.external == null ? "" : st.external.toLowerCase(Locale.ROOT);
        if (b.equals("scratch")) return "scratch";
        if (b.contains("distroless") || b.startsWith("cgr.dev/") || b.contains("chainguard")) return "distroless";
        if (b.contains("alpine") || b.contains("busybox")) return "alpine";
        return "other";
    }

    private static Instruction firstOf(State st, String... keywords) {
        Set<String> k = Set.of(keywords);
        for (Instruction i : st.stage.instructions()) {
            if (k.contains(i.keyword())) return i;
        }
        return null;
    }

    // ---------------------------------------------------------------- 4.2 base image by digest

    private void baseDigest(State st, Vars.Expanded base) {
        Instruction from = st.stage.from();
        if (st.parent != null) return;
        String image = base.value();
        if (image.equalsIgnoreCase("scratch")) return;
        reported.add(Check.DF_BASE_DIGEST);
        if (!base.complete() || image.isBlank()) {
            r.add(Check.DF_BASE_DIGEST, AuditStatus.WARN, null, from.line(), 0,
                    "FROM " + st.stage.image() + " depends on a build argument without a default",
                    "Give the argument a default pinned by digest, e.g.\nARG BASE=<image>:<tag>@sha256:<digest>");
            return;
        }
        Images.Verdict v = Images.judge(image);
        if (v.status() == AuditStatus.PASS) {
            r.pass(Check.DF_BASE_DIGEST, from.line(), 0, "FROM " + image + ": pinned by digest");
            return;
        }
        String raw = st.stage.image();
        Matcher only = ONE_VARIABLE.matcher(raw);
        String fix;
        if (!raw.equals(image) && only.matches() && argLine(only.group(1)) > 0) {
            fix = "Replace line " + argLine(only.group(1)) + " with:\nARG " + only.group(1) + "=" + v.pinned()
                    + "\n(" + Images.howToResolve(image) + ")";
        } else {
            StringBuilder line = new StringBuilder("FROM ");
            for (Instruction.Flag f : from.flags()) line.append("--").append(f.name())
                    .append(f.value() == null ? "" : "=" + f.value()).append(' ');
            line.append(raw.equals(image) ? v.pinned() : image + "@sha256:<digest>");
            if (st.stage.name() != null) line.append(" AS ").append(DockerfileParser.words(from.rest()).get(2));
            fix = "Replace line " + from.line() + " with:\n" + line + "\n(" + Images.howToResolve(image) + ")";
        }
        r.add(Check.DF_BASE_DIGEST, AuditStatus.FAIL, v.severity(), from.line(), 0, v.evidence(), fix);
    }

    private int argLine(String name) {
        for (Instruction g : df.globals()) {
            for (String[] kv : argPairs(g)) {
                if (kv[0].equals(name)) return g.line();
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- 4.6 HEALTHCHECK

    private void healthcheck(State last) {
        State owner = last;
        while (owner != null && owner.health == null) owner = owner.parent;
        reported.add(Check.DF_HEALTHCHECK);
        String family = family(last);
        Integer port = null;
        for (State s = last; s != null && port == null; s = s.parent) {
            port = s.ports.stream().filter(p -> p != 22).findFirst().orElse(null);
        }
        String probe = probe(family, port);
        if (owner == null) {
            Instruction cmd = firstOf(last, "CMD", "ENTRYPOINT");
            String where = cmd != null ? "Add before line " + cmd.line() + " (" + cmd.keyword() + "):\n"
                    : "Add at the end of the final stage:\n";
            r.fail(Check.DF_HEALTHCHECK, last.stage.from().line(), 0,
                    "no HEALTHCHECK in the final stage: Docker cannot tell a hung container from a healthy one"
                            + " (unless the base image defines one)", where + probe);
            return;
        }
        String args = owner.health.rest().strip();
        if (args.toUpperCase(Locale.ROOT).startsWith("NONE")) {
            r.add(Check.DF_HEALTHCHECK, AuditStatus.WARN, null, owner.health.line(), 0,
                    "HEALTHCHECK NONE disables the health check the base image may define",
                    "Replace line " + owner.health.line() + " with:\n" + probe);
            return;
        }
        r.pass(Check.DF_HEALTHCHECK, owner.health.line(), 0, "HEALTHCHECK " + DockerfileParser.clip(args));
    }

    private static String probe(String family, Integer port) {
        String p = port == null ? "<port>" : String.valueOf(port);
        String opts = "HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 ";
        return switch (family) {
            case "alpine" -> opts + "CMD wget -q -O /dev/null http://127.0.0.1:" + p + "/ || exit 1";
            case "scratch", "distroless" -> opts + "CMD [\"/app\", \"healthcheck\"]\n(no shell or curl in this image:"
                    + " use the application's own health command)";
            default -> opts + "CMD curl -fsS http://127.0.0.1:" + p + "/ || exit 1";
        };
    }

    // ---------------------------------------------------------------- EXPOSE 22

    private void expose(State st, Instruction i) {
        List<int[]> spans = DockerfileParser.wordSpans(i.rest());
        List<String> kept = new ArrayList<>();
        boolean ssh = false;
        for (int[] sp : spans) {
            String w = i.rest().substring(sp[0], sp[1]);
            String v = Vars.dockerfile(w, st.vars(), df.escape()).value();
            String num = v.replaceFirst("(?i)/(tcp|udp|sctp)$", "");
            Matcher m = PORT_RANGE.matcher(num);
            boolean has22 = false;
            if (m.matches()) {
                int lo = Integer.parseInt(m.group(1));
                int hi = m.group(2) != null ? Integer.parseInt(m.group(2)) : lo;
                st.ports.add(lo);
                has22 = lo <= 22 && 22 <= hi;
            }
            if (has22) ssh = true;
            else kept.add(w);
        }
        if (ssh) {
            reported.add(Check.DF_SSH);
            String fix = kept.isEmpty() ? "Remove line " + i.line() + " (EXPOSE 22); reach the container with docker exec"
                    + " or kubectl exec instead of SSH"
                    : "Replace line " + i.line() + " with:\nEXPOSE " + String.join(" ", kept);
            r.fail(Check.DF_SSH, i.line(), 0, "EXPOSE " + i.rest().strip() + " publishes the SSH port 22", fix);
        }
    }

    // ---------------------------------------------------------------- RUN

    private void run(State st, Instruction i) {
        Instruction.Script script = i.script();
        List<Shell.Pipeline> pipelines = Shell.parse(script.text());
        List<Invocation> invs = Shell.invocations(pipelines);
        updateAlone(st, i, script, invs);
        curlPipeSh(i, script, pipelines);
        sudo(i, script, invs);
        pins(i, script, invs);
        chmod(i, script, invs);
        sshServer(i, script, invs);
    }

    private void updateAlone(State st, Instruction i, Instruction.Script script, List<Invocation> invs) {
        for (int k = 0; k < invs.size(); k++) {
            Invocation inv = invs.get(k);
            String family;
            Set<String> follow;
            if (APT.contains(inv.name()) && "update".equals(sub(inv, APT_OPTS_WITH_ARG))) {
                family = "apt";
                follow = Set.of("install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "satisfy", "source");
            } else if (inv.name().equals("apk") && "update".equals(sub(inv, APK_OPTS_WITH_ARG))) {
                family = "apk";
                follow = Set.of("add", "upgrade", "fix");
            } else {
                continue;
            }
            boolean followed = false;
            for (int j = k + 1; j < invs.size() && !followed; j++) {
                Invocation n = invs.get(j);
                boolean same = family.equals("apt") ? APT.contains(n.name()) : n.name().equals("apk");
                if (same && in(follow, sub(n, family.equals("apt") ? APT_OPTS_WITH_ARG : APK_OPTS_WITH_ARG))) {
                    followed = true;
                }
            }
            if (followed) continue;
            reported.add(Check.DF_UPDATE_ALONE);
            int line = script.map().line(inv.program().start());
            String fix;
            Instruction next = nextRun(st, i);
            boolean nextInstalls = next != null && !next.isExecForm() && next.heredocs().isEmpty()
                    && Shell.invocations(Shell.parse(next.rest())).stream().anyMatch(n -> (family.equals("apt")
                    ? APT.contains(n.name()) : n.name().equals("apk")) && in(follow, sub(n, family.equals("apt")
                    ? APT_OPTS_WITH_ARG : APK_OPTS_WITH_ARG)));
            if (family.equals("apk")) {
                fix = "Drop apk update and install with apk add --no-cache, which fetches a fresh index itself:\n"
                        + "RUN apk add --no-cache <packages>";
            } else if (nextInstalls && !i.isExecForm() && i.heredocs().isEmpty()) {
                String flags = i.logical().substring(i.argsStart(), i.restStart());
                fix = "Replace lines " + i.line() + "-" + (next.endLine()) + " (this RUN and the RUN at line "
                        + next.line() + ") with one RUN:\nRUN " + flags + i.rest().strip() + " \\\n && " + physicalRest(next);
            } else {
                fix = "Update and install in the same RUN:\nRUN apt-get update && apt-get install -y "
                        + "--no-install-recommends <packages> && rm -rf /var/lib/apt/lists/*";
            }
            r.fail(Check.DF_UPDATE_ALONE, line, 0, (family.equals("apt") ? inv.name() : "apk") + " update without an "
                    + "install in the same RUN: the cached index layer goes stale and later installs get old packages", fix);
        }
    }

    /** The instruction's physical lines from where its arguments after the flags start. */
    private String physicalRest(Instruction i) {
        int first = i.map().line(i.restStart());
        int last = i.map().line(Math.max(0, i.logical().length() - 1));
        List<String> lines = new ArrayList<>(df.lines().subList(first - 1, last));
        int col = i.map().col(i.restStart()) - 1;
        if (col >= 0 && col <= lines.get(0).length()) lines.set(0, lines.get(0).substring(col));
        return String.join("\n", lines);
    }

    private static boolean in(Set<String> set, String s) {
        return s != null && set.contains(s);
    }

    private static Instruction nextRun(State st, Instruction i) {
        List<Instruction> list = st.stage.instructions();
        boolean after = false;
        for (Instruction k : list) {
            if (after && k.keyword().equals("RUN")) return k;
            if (k == i) after = true;
        }
        return null;
    }

    private void curlPipeSh(Instruction i, Instruction.Script script, List<Shell.Pipeline> pipelines) {
        Set<Integer> lines = new HashSet<>();
        for (Shell.Pipeline p : pipelines) {
            Invocation download = null;
            for (Shell.Command c : p.commands()) {
                Invocation inv = Shell.invocation(c);
                if (inv == null) continue;
                if (download == null && (inv.name().equals("curl") || inv.name().equals("wget"))) {
                    download = inv;
                } else if (download != null && INTERPRETERS.contains(inv.name())) {
                    int line = script.map().line(download.program().start());
                    if (lines.add(line)) {
                        String url = download.argTexts().stream().filter(a -> URL.matcher(a).matches()).findFirst()
                                .orElse("<url>");
                        r.fail(Check.DF_CURL_PIPE_SH, line, 0, download.name() + " output piped into " + inv.name()
                                + ": whatever the server sends runs in the build, unverified", safeDownload(download.name(), url, inv.name()));
                        reported.add(Check.DF_CURL_PIPE_SH);
                    }
                    break;
                }
            }
        }
        Matcher m = SUBSTITUTED_DOWNLOAD.matcher(script.text());
        while (m.find()) {
            int line = script.map().line(m.start());
            if (!lines.add(line)) continue;
            Matcher u = URL_IN_TEXT.matcher(m.group());
            String url = u.find() ? u.group() : "<url>";
            String tool = m.group().contains("wget") ? "wget" : "curl";
            r.fail(Check.DF_CURL_PIPE_SH, line, 0, "a downloaded script runs through command substitution ("
                    + DockerfileParser.clip(m.group().strip()) + "): it is not verified before it runs",
                    safeDownload(tool, url, "sh"));
            reported.add(Check.DF_CURL_PIPE_SH);
        }
    }

    private static String safeDownload(String tool, String url, String interpreter) {
        String get = tool.equals("wget") ? "wget -q -O /tmp/install.sh " + url : "curl -fsSL -o /tmp/install.sh " + url;
        String run = INTERPRETERS.contains(interpreter) ? interpreter : "sh";
        return "Download, verify, then run:\nRUN " + get + " \\\n && echo \"<sha256 of the script>  /tmp/install.sh\" | sha256sum -c - \\\n && "
                + run + " /tmp/install.sh \\\n && rm /tmp/install.sh";
    }

    private void sudo(Instruction i, Instruction.Script script, List<Invocation> invs) {
        for (Invocation inv : invs) {
            if (inv.sudo() == null) continue;
            reported.add(Check.DF_SUDO);
            int line = script.map().line(inv.sudo().start());
            String fix = edited(i, script, List.of(new Span(inv.sudo().start(), inv.program().start(), "")));
            r.fail(Check.DF_SUDO, line, 0, "sudo " + inv.program().text() + ": sudo in an image means a setuid binary"
                    + " and a sudoers policy an attacker can use; RUN already runs as the Dockerfile's current USER",
                    (fix != null ? fix + "\n" : "Remove sudo from the command.\n")
                            + "(if this RUN needs root after a USER instruction, put USER root before it and switch back after it)");
        }
    }

    private void pins(Instruction i, Instruction.Script script, List<Invocation> invs) {
        for (Invocation inv : invs) {
            List<Word> unpinned = new ArrayList<>();
            String how;
            String sep;
            if (APT.contains(inv.name()) && "install".equals(sub(inv, APT_OPTS_WITH_ARG))) {
                for (Word w : packages(inv, APT_OPTS_WITH_ARG)) {
                    String t = w.text();
                    if (!t.contains("=") && !t.endsWith(".deb") && !t.startsWith("/") && !t.startsWith("./")) unpinned.add(w);
                }
                how = "apt-cache policy <package>";
                sep = "=";
            } else if (inv.name().equals("apk") && "add".equals(sub(inv, APK_OPTS_WITH_ARG))) {
                for (Word w : packages(inv, APK_OPTS_WITH_ARG)) {
                    String t = w.text();
                    if (!APK_PIN.matcher(t).matches() && !t.endsWith(".apk")) unpinned.add(w);
                }
                how = "apk policy <package>";
                sep = "=";
            } else if (isPip(inv) && "install".equals(pipSub(inv))) {
                if (inv.argTexts().stream().anyMatch(a -> a.equals("-r") || a.equals("--requirement")
                        || a.startsWith("--requirement=") || a.startsWith("-r") && a.length() > 2)) continue;
                boolean afterSub = false;
                List<Word> args = pipArgs(inv);
                for (int k = 0; k < args.size(); k++) {
                    String t = args.get(k).text();
                    if (!afterSub) {
                        if (t.equals("install")) afterSub = true;
                        continue;
                    }
                    if (t.startsWith("-")) {
                        if (PIP_OPTS_WITH_ARG.contains(t)) k++;
                        continue;
                    }
                    if (t.contains("$") || PIP_PIN.matcher(t).matches() || t.startsWith(".")
                            || t.startsWith("/") || t.contains("://") || PIP_FILE.matcher(t).matches()) continue;
                    unpinned.add(args.get(k));
                }
                how = "pip index versions <package>";
                sep = "==";
            } else {
                continue;
            }
            unpinned.removeIf(w -> w.text().contains("$"));
            if (unpinned.isEmpty()) continue;
            reported.add(Check.DF_PKG_PIN);
            List<Span> spans = new ArrayList<>();
            for (Word w : unpinned) spans.add(new Span(w.end(), w.end(), sep + "<version>"));
            String fix = edited(i, script, spans);
            r.add(Check.DF_PKG_PIN, AuditStatus.WARN, null, script.map().line(unpinned.get(0).start()), 0,
                    inv.name() + " installs " + String.join(", ", unpinned.stream().map(Word::text).toList())
                            + " without a version: rebuilds may install different versions",
                    (fix != null ? fix : "Pin each package: <package>" + sep + "<version>") + "\n(versions: " + how + ")");
        }
    }

    private static boolean isPip(Invocation inv) {
        if (inv.name().matches("pip[0-9.]*")) return true;
        List<String> a = inv.argTexts();
        return inv.name().matches("python[0-9.]*") && a.size() >= 2 && a.get(0).equals("-m") && a.get(1).matches("pip[0-9.]*");
    }

    private static List<Word> pipArgs(Invocation inv) {
        return inv.name().startsWith("python") ? inv.args().subList(2, inv.args().size()) : inv.args();
    }

    private static String pipSub(Invocation inv) {
        for (Word w : pipArgs(inv)) {
            if (!w.text().startsWith("-")) return w.text();
        }
        return null;
    }

    private void chmod(Instruction i, Instruction.Script script, List<Invocation> invs) {
        for (Invocation inv : invs) {
            if (!inv.name().equals("chmod")) continue;
            Word mode = null;
            for (Word w : inv.args()) {
                if (w.text().startsWith("--reference")) break;
                if (w.text().startsWith("-") && !SYMBOLIC_REMOVE.matcher(w.text()).matches()) continue;
                mode = w;
                break;
            }
            if (mode == null) continue;
            String safer = saferMode(mode.text());
            if (safer == null) continue;
            reported.add(Check.DF_CHMOD);
            String fix = edited(i, script, List.of(new Span(mode.start(), mode.end(), safer)));
            r.fail(Check.DF_CHMOD, script.map().line(mode.start()), 0, "chmod " + mode.text()
                    + " makes files writable by every user of the container", fix != null ? fix : "Use chmod " + safer);
        }
    }

    /** A mode without world (and group) write, or null when {@code mode} grants no world write. */
    static String saferMode(String mode) {
        if (OCTAL.matcher(mode).matches()) {
            int v = Integer.parseInt(mode, 8);
            if ((v & 0002) == 0 || (v & 01000) != 0) return null;
            int s = v & ~0022;
            String out = Integer.toOctalString(s);
            while (out.length() < Math.min(3, mode.length())) out = "0" + out;
            if (mode.length() == 4 && out.length() < 4) out = "0" + out;
            return out;
        }
        if (!SYMBOLIC.matcher(mode).matches()) return null;
        List<String> clauses = new ArrayList<>();
        boolean changed = false;
        for (String c : mode.split(",")) {
            Matcher m = CLAUSE.matcher(c);
            if (!m.matches()) return null;
            String who = m.group(1);
            String op = m.group(2);
            String perms = m.group(3);
            boolean others = who.contains("o") || who.contains("a");
            if (op.equals("-") || !perms.contains("w") || !others) {
                clauses.add(c);
                continue;
            }
            changed = true;
            String noW = perms.replace("w", "");
            if (who.contains("a")) {
                clauses.add("u" + op + perms);
                if (!noW.isEmpty() || op.equals("=")) clauses.add("go" + op + noW);
            } else {
                String rest = who.replace("o", "");
                if (!rest.isEmpty()) clauses.add(rest + op + perms);
                if (!noW.isEmpty() || op.equals("=")) clauses.add("o" + op + noW);
            }
        }
        return changed ? String.join(",", clauses) : null;
    }

    private void sshServer(Instruction i, Instruction.Script script, List<Invocation> invs) {
        for (Invocation inv : invs) {
            List<Word> pkgs;
            if (APT.contains(inv.name()) && "install".equals(sub(inv, APT_OPTS_WITH_ARG))) pkgs = packages(inv, APT_OPTS_WITH_ARG);
            else if (inv.name().equals("apk") && "add".equals(sub(inv, APK_OPTS_WITH_ARG))) pkgs = packages(inv, APK_OPTS_WITH_ARG);
            else if ((inv.name().equals("yum") || inv.name().equals("dnf") || inv.name().equals("microdnf"))
                    && "install".equals(sub(inv, YUM_OPTS_WITH_ARG))) pkgs = packages(inv, YUM_OPTS_WITH_ARG);
            else continue;
            for (Word w : pkgs) {
                String name = w.text().replaceFirst("[=~<>].*$", "");
                if (!SSH_SERVERS.contains(name)) continue;
                reported.add(Check.DF_SSH);
                String fix = edited(i, script, List.of(new Span(w.start(), wordEndWithBlank(script.text(), w.end()), "")));
                r.fail(Check.DF_SSH, script.map().line(w.start()), 0, inv.name() + " installs " + w.text()
                        + ": an SSH server in a container is one more daemon, credential store and way in",
                        (fix != null ? fix : "Do not install " + name) + "\n(use docker exec or kubectl exec to get a shell)");
            }
        }
    }

    private static int wordEndWithBlank(String s, int end) {
        int e = end;
        while (e < s.length() && (s.charAt(e) == ' ' || s.charAt(e) == '\t')) e++;
        return e;
    }

    /** Checks that only matter for layers the final image ships. */
    private void runFinalChain(Instruction i) {
        Instruction.Script script = i.script();
        List<Invocation> invs = Shell.invocations(Shell.parse(script.text()));
        boolean aptCache = cacheMount(i, "/var/lib/apt") || cacheMount(i, "/var/cache/apt");
        boolean apkCache = cacheMount(i, "/var/cache/apk") || cacheMount(i, "/etc/apk/cache");
        boolean listsRemoved = invs.stream().anyMatch(n -> n.name().equals("rm")
                && n.argTexts().stream().anyMatch(a -> a.startsWith("/var/lib/apt/lists")));
        boolean apkCacheRemoved = invs.stream().anyMatch(n -> n.name().equals("rm")
                && n.argTexts().stream().anyMatch(a -> a.startsWith("/var/cache/apk") || a.startsWith("/etc/apk/cache")));
        boolean aptInstallSeen = false;
        for (Invocation inv : invs) {
            if (APT.contains(inv.name()) && "install".equals(sub(inv, APT_OPTS_WITH_ARG))) {
                Word installWord = subWord(inv, APT_OPTS_WITH_ARG);
                List<String> a = inv.argTexts();
                boolean noRec = a.contains("--no-install-recommends")
                        || a.stream().anyMatch(x -> NO_RECOMMENDS_OPTION.matcher(x).matches());
                if (!noRec && !inv.name().equals("aptitude")) {
                    reported.add(Check.DF_APT_RECOMMENDS);
                    String fix = edited(i, script, List.of(new Span(installWord.end(), installWord.end(), " --no-install-recommends")));
                    r.fail(Check.DF_APT_RECOMMENDS, script.map().line(installWord.start()), 0, inv.name()
                            + " install without --no-install-recommends also installs every recommended package:"
                            + " more software, more vulnerabilities", fix != null ? fix : "Add --no-install-recommends after install");
                }
                aptInstallSeen = true;
            }
            if (inv.name().equals("apk") && "add".equals(sub(inv, APK_OPTS_WITH_ARG))
                    && !inv.argTexts().contains("--no-cache") && !apkCache && !apkCacheRemoved) {
                Word addWord = subWord(inv, APK_OPTS_WITH_ARG);
                reported.add(Check.DF_APK_NO_CACHE);
                String fix = edited(i, script, List.of(new Span(addWord.end(), addWord.end(), " --no-cache")));
                r.fail(Check.DF_APK_NO_CACHE, script.map().line(addWord.start()), 0,
                        "apk add without --no-cache leaves the package index in /var/cache/apk in the image",
                        fix != null ? fix : "Use apk add --no-cache");
            }
        }
        if (aptInstallSeen && !listsRemoved && !aptCache) {
            reported.add(Check.DF_APT_LISTS);
            String fix = i.heredocs().isEmpty() && !i.isExecForm()
                    ? edited(i, script, List.of(new Span(i.rest().length(), i.rest().length(), " \\\n && rm -rf /var/lib/apt/lists/*")))
                    : null;
            r.fail(Check.DF_APT_LISTS, i.line(), 0, "apt-get install without rm -rf /var/lib/apt/lists/* in the same RUN:"
                    + " the package lists (tens of MB) stay in the layer", fix != null ? fix
                    : "End the RUN with: && rm -rf /var/lib/apt/lists/*");
        }
    }

    private static boolean cacheMount(Instruction i, String target) {
        for (Instruction.Flag f : i.flags()) {
            if (!f.name().equals("mount") || f.value() == null) continue;
            String v = f.value();
            if (v.contains("type=cache") && (v.contains("target=" + target) || v.contains("dst=" + target)
                    || v.contains("destination=" + target))) return true;
        }
        return false;
    }

    /** The first non-option argument (the subcommand), skipping options that take a value. */
    private static String sub(Invocation inv, Set<String> optsWithArg) {
        Word w = subWord(inv, optsWithArg);
        return w == null ? null : w.text();
    }

    private static Word subWord(Invocation inv, Set<String> optsWithArg) {
        List<Word> a = inv.args();
        for (int k = 0; k < a.size(); k++) {
            String t = a.get(k).text();
            if (t.startsWith("-")) {
                if (optsWithArg.contains(t)) k++;
                continue;
            }
            return a.get(k);
        }
        return null;
    }

    private static List<Word> packages(Invocation inv, Set<String> optsWithArg) {
        List<Word> out = new ArrayList<>();
        List<Word> a = inv.args();
        boolean afterSub = false;
        for (int k = 0; k < a.size(); k++) {
            String t = a.get(k).text();
            if (t.startsWith("-")) {
                if (optsWithArg.contains(t)) k++;
                continue;
            }
            if (!afterSub) {
                afterSub = true;
                continue;
            }
            if (!t.isEmpty()) out.add(a.get(k));
        }
        return out;
    }

    // ---------------------------------------------------------------- ADD and COPY

    private void add(State st, Instruction i) {
        List<String> srcs = sources(i);
        if (srcs.isEmpty()) return;
        boolean anyUrl = false;
        boolean allLocalPlain = true;
        for (String raw : srcs) {
            String s = Vars.dockerfile(raw, st.vars(), df.escape()).value();
            if (s.startsWith("<<")) continue;
            if (URL.matcher(s).matches() && !GIT.matcher(s).matches()) {
                anyUrl = true;
                allLocalPlain = false;
                if (i.flag("checksum").isPresent()) continue;
                reported.add(Check.DF_ADD_URL);
                String dest = destination(i);
                r.fail(Check.DF_ADD_URL, i.line(), 0, "ADD " + s + " downloads at build time without verifying what"
                        + " it got", "Replace line " + i.line() + " with:\nADD --checksum=sha256:<sha256 of the file> "
                        + s + " " + dest + "\n(needs # syntax=docker/dockerfile:1.6 or later; or download and verify in a RUN:"
                        + " RUN curl -fsSL -o " + dest + " " + s + " && echo \"<sha256>  " + dest + "\" | sha256sum -c -)");
            } else if (GIT.matcher(s).matches() || ARCHIVE.matcher(s).matches()) {
                allLocalPlain = false;
            }
        }
        if (anyUrl || !allLocalPlain) return;
        reported.add(Check.DF_COPY_NOT_ADD);
        String kw = i.logical().substring(0, 3);
        String copy = kw.equals("add") ? "copy" : "COPY";
        List<Span> spans = new ArrayList<>();
        spans.add(new Span(-i.restStart(), -i.restStart() + 3, copy));
        for (Instruction.Flag f : i.flags()) {
            if (Set.of("checksum", "keep-git-dir", "unpack").contains(f.name())) {
                spans.add(new Span(f.start() - i.restStart(), wordEndWithBlank(i.logical(), f.end()) - i.restStart(), ""));
            }
        }
        String fix = editedLogical(i, spans);
        r.fail(Check.DF_COPY_NOT_ADD, i.line(), 0, "ADD of local files: ADD also unpacks archives and fetches URLs,"
                + " COPY does only what is meant", fix != null ? fix : "Use COPY instead of ADD");
    }

    private static List<String> sources(Instruction i) {
        List<String> w = i.isExecForm() ? i.json() : DockerfileParser.words(i.rest());
        if (w.size() < 2) return List.of();
        return List.copyOf(w.subList(0, w.size() - 1));
    }

    private static String destination(Instruction i) {
        List<String> w = i.isExecForm() ? i.json() : DockerfileParser.words(i.rest());
        return w.isEmpty() ? "<dest>" : w.get(w.size() - 1);
    }

    private void copyOrAdd(State st, Instruction i) {
        i.flag("chmod").ifPresent(f -> {
            String safer = f.value() == null ? null : saferMode(f.value());
            if (safer == null) return;
            reported.add(Check.DF_CHMOD);
            String fix = editedLogical(i, List.of(new Span(f.start() - i.restStart(), f.end() - i.restStart(), "--chmod=" + safer)));
            r.fail(Check.DF_CHMOD, i.line(), 0, i.keyword() + " --chmod=" + f.value()
                    + " makes the copied files writable by every user of the container", fix != null ? fix : "--chmod=" + safer);
        });
        if (i.flag("from").isPresent()) return;
        for (String raw : sources(i)) {
            String s = Vars.dockerfile(raw, st.vars(), df.escape()).value();
            if (s.startsWith("<<") || URL.matcher(s).matches()) continue;
            String path = s.replaceAll("/+$", "");
            if (!SECRET_FILE.matcher(path).matches() || path.endsWith(".pub")) continue;
            reported.add(Check.DF_SECRETS);
            String id = path.replaceAll(".*/", "").replaceAll("^\\.", "").replaceAll("[^A-Za-z0-9_-]", "_");
            r.fail(Check.DF_SECRETS, i.line(), 0, i.keyword() + " " + s + ": a credential file copied into a layer"
                    + " stays in the image even if a later layer deletes it",
                    "Remove it from line " + i.line() + " and add it to .dockerignore; mount it only where the build needs it:\n"
                            + "RUN --mount=type=secret,id=" + id + ",target=/run/secrets/" + id + " <command>\n"
                            + "(build with: docker build --secret id=" + id + ",src=" + s + " .)");
        }
    }

    // ---------------------------------------------------------------- 4.10 secrets in ARG / ENV and values

    private void secretsInArgOrEnv(Instruction i) {
        boolean env = i.keyword().equals("ENV");
        List<String[]> pairs = env ? envPairs(i) : argPairs(i);
        for (String[] kv : pairs) {
            String name = kv[0];
            String rawValue = kv[1];
            String value = rawValue == null ? null : DockerfileParser.unquote(rawValue);
            List<Secrets.Match> shapes = value == null ? List.of() : Secrets.find(value);
            boolean byName = Secrets.isSecretName(name);
            if (!byName && shapes.isEmpty()) continue;
            if (env && byName && shapes.isEmpty() && (value == null || value.isBlank())) continue;
            reported.add(Check.DF_SECRETS);
            String id = name.toLowerCase(Locale.ROOT);
            String fix = "Remove " + name + " from line " + i.line() + "; give it to the build as a secret:\n"
                    + "RUN --mount=type=secret,id=" + id + ",env=" + name + " <command that needs it>\n"
                    + "(build with: docker build --secret id=" + id + ",env=" + name + " . ; needs # syntax=docker/dockerfile:1.10"
                    + " or later; at run time pass it with docker run -e / a Compose or Kubernetes secret)";
            Severity sev;
            String evidence;
            if (!shapes.isEmpty()) {
                sev = Severity.CRITICAL;
                evidence = i.keyword() + " " + name + " holds what looks like " + shapes.get(0).kind() + " "
                        + Secrets.redact(value);
            } else if (value == null || Secrets.isReferenceOrEmpty(value)) {
                sev = Severity.MEDIUM;
                evidence = env ? "ENV " + name + "=" + value + " copies a build argument into the image's environment,"
                        + " where docker inspect shows it"
                        : "ARG " + name + ": build-argument values are recorded in the image history and build provenance";
            } else {
                sev = Severity.HIGH;
                evidence = i.keyword() + " " + name + " is set to a literal value " + Secrets.redact(value)
                        + " that every copy of the image carries";
            }
            r.add(Check.DF_SECRETS, AuditStatus.FAIL, sev, i.line(), 0, evidence, fix);
        }
        for (Instruction.Heredoc h : i.heredocs()) secretShapesIn(h.body(), h.lineMap(), i);
    }

    private final Set<Integer> shapeLines = new HashSet<>();

    private void secretShapes(Instruction i) {
        secretShapesIn(i.logical(), i.map(), i);
        for (Instruction.Heredoc h : i.heredocs()) secretShapesIn(h.body(), h.lineMap(), i);
    }

    private void secretShapesIn(String text, LineMap map, Instruction i) {
        for (Secrets.Match m : Secrets.find(text)) {
            int line = map.line(m.start());
            if (!shapeLines.add(line)) continue;
            reported.add(Check.DF_SECRETS);
            r.add(Check.DF_SECRETS, AuditStatus.FAIL, Severity.CRITICAL, line, 0, i.keyword() + " at line " + line
                            + " contains what looks like " + m.kind() + " " + Secrets.redact(text.substring(m.start(), m.end())),
                    "Remove the value from line " + line + " (and revoke it: it is in the image and the file's history);"
                            + " pass it at build time as a secret:\nRUN --mount=type=secret,id=token,env=TOKEN <command>\n"
                            + "(build with: docker build --secret id=token,env=TOKEN .)");
        }
    }

    /** ARG pairs: name and default (null when none). */
    static List<String[]> argPairs(Instruction i) {
        List<String[]> out = new ArrayList<>();
        for (String w : DockerfileParser.words(i.rest())) {
            int eq = w.indexOf('=');
            if (eq < 0) out.add(new String[]{w, null});
            else out.add(new String[]{w.substring(0, eq), w.substring(eq + 1)});
        }
        return out;
    }

    /** ENV pairs: {@code ENV a=b c="d e"} or the legacy {@code ENV name value with blanks}. */
    static List<String[]> envPairs(Instruction i) {
        List<String[]> out = new ArrayList<>();
        String rest = i.rest();
        List<String> words = DockerfileParser.words(rest);
        if (words.isEmpty()) return out;
        if (!words.get(0).contains("=")) {
            String name = words.get(0);
            String value = rest.strip().substring(name.length()).strip();
            out.add(new String[]{name, value});
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) continue;
            out.add(new String[]{w.substring(0, eq), w.substring(eq + 1)});
        }
        return out;
    }

    // ---------------------------------------------------------------- fixes as edited lines

    /** A replacement of [start, end) by text; offsets in a RUN script or (for editedLogical) relative to rest(). */
    record Span(int start, int end, String text) {
    }

    /** The instruction's physical lines with script-relative edits applied, as "Replace line(s) ... with:\n...". */
    private String edited(Instruction i, Instruction.Script script, List<Span> spans) {
        if (i.isExecForm()) return null;
        List<int[]> pos = new ArrayList<>();
        for (Span s : spans) {
            int l1 = script.map().line(s.start());
            int l2 = script.map().line(Math.max(s.start(), s.end() - 1));
            if (s.end() > s.start() && l1 != l2) return null;
            pos.add(new int[]{l1, script.map().col(s.start()), s.end() - s.start()});
        }
        return apply(i, spans, pos);
    }

    /** Like {@link #edited} for offsets relative to the instruction's rest() (negative offsets reach the keyword). */
    private String editedLogical(Instruction i, List<Span> spans) {
        List<int[]> pos = new ArrayList<>();
        for (Span s : spans) {
            int a = i.restStart() + s.start();
            int b = i.restStart() + s.end();
            int l1 = i.map().line(a);
            int l2 = i.map().line(Math.max(a, b - 1));
            if (b > a && l1 != l2) return null;
            pos.add(new int[]{l1, i.map().col(a), b - a});
        }
        return apply(i, spans, pos);
    }

    private String apply(Instruction i, List<Span> spans, List<int[]> pos) {
        int first = i.line();
        int last = i.map().line(Math.max(0, i.logical().length() - 1));
        for (int[] p : pos) last = Math.max(last, p[0]);
        if (last - first > 40) return null;
        List<String> lines = new ArrayList<>(df.lines().subList(first - 1, last));
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < spans.size(); k++) order.add(k);
        order.sort(Comparator.comparingInt((Integer k) -> pos.get(k)[0]).thenComparingInt(k -> pos.get(k)[1]).reversed());
        for (int k : order) {
            int[] p = pos.get(k);
            int idx = p[0] - first;
            if (idx < 0 || idx >= lines.size()) return null;
            String l = lines.get(idx);
            int c = p[1] - 1;
            if (c < 0 || c > l.length() || c + p[2] > l.length()) return null;
            lines.set(idx, l.substring(0, c) + spans.get(k).text() + l.substring(c + p[2]));
        }
        String head = first == last ? "Replace line " + first + " with:\n" : "Replace lines " + first + "-" + last + " with:\n";
        return head + String.join("\n", lines);
    }

    // ---------------------------------------------------------------- passes

    private void passes() {
        for (Check c : List.of(Check.DF_BASE_DIGEST, Check.DF_UPDATE_ALONE, Check.DF_COPY_NOT_ADD, Check.DF_SECRETS,
                Check.DF_ADD_URL, Check.DF_CURL_PIPE_SH, Check.DF_SUDO, Check.DF_APT_RECOMMENDS, Check.DF_APT_LISTS,
                Check.DF_APK_NO_CACHE, Check.DF_PKG_PIN, Check.DF_CHMOD, Check.DF_SSH)) {
            if (reported.contains(c)) continue;
            r.pass(c, 0, 0, switch (c) {
                case DF_BASE_DIGEST -> "no base image to pin (scratch or earlier stages only)";
                case DF_UPDATE_ALONE -> "no package index update without an install in the same RUN";
                case DF_COPY_NOT_ADD -> "no ADD of plain local files";
                case DF_SECRETS -> "no secret-named ARG/ENV, credential files or credential-shaped values";
                case DF_ADD_URL -> "no ADD of a URL without --checksum";
                case DF_CURL_PIPE_SH -> "no downloaded script piped into a shell";
                case DF_SUDO -> "no sudo";
                case DF_APT_RECOMMENDS -> "every apt-get install in the final image's stages uses --no-install-recommends";
                case DF_APT_LISTS -> "apt lists removed wherever the final image's stages install packages";
                case DF_APK_NO_CACHE -> "every apk add in the final image's stages uses --no-cache";
                case DF_PKG_PIN -> "every apt, apk and pip package is pinned";
                case DF_CHMOD -> "nothing made world-writable";
                case DF_SSH -> "no port 22 and no SSH server";
                default -> "";
            });
        }
    }
}
