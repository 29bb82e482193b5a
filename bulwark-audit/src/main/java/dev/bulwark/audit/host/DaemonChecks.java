package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.host.Check.Verdict;
import dev.bulwark.audit.host.DaemonSettings.Setting;
import dev.bulwark.model.Severity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Section 2: the daemon's configuration, from daemon.json and the command line (what the admin asked for) and from
 * {@code /info} (what the daemon actually does).
 */
final class DaemonChecks {
    private DaemonChecks() {
    }

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(d("2.1", "Run the Docker daemon as a non-root user, if possible", 1, false, Severity.MEDIUM,
            DaemonChecks::rootless));
        c.add(d("2.2", "Ensure network traffic is restricted between containers on the default bridge", 1, true,
            Severity.MEDIUM, DaemonChecks::icc));
        c.add(d("2.3", "Ensure the logging level is set to 'info'", 1, true, Severity.LOW, DaemonChecks::logLevel));
        c.add(d("2.4", "Ensure Docker is allowed to make changes to iptables", 1, true, Severity.MEDIUM,
            DaemonChecks::iptables));
        c.add(d("2.5", "Ensure insecure registries are not used", 1, true, Severity.HIGH, DaemonChecks::insecureRegistries));
        c.add(d("2.6", "Ensure aufs storage driver is not used", 1, true, Severity.MEDIUM, f -> storageDriver(f, "aufs",
            "aufs is deprecated and removed from Docker 24; it shares executable memory between containers")));
        c.add(d("2.7", "Ensure TLS authentication for Docker daemon is configured", 1, true, Severity.CRITICAL,
            DaemonChecks::tls));
        c.add(d("2.8", "Ensure the default ulimit is configured appropriately", 1, false, Severity.LOW,
            DaemonChecks::defaultUlimit));
        c.add(d("2.9", "Enable user namespace support", 2, true, Severity.MEDIUM, DaemonChecks::userns));
        c.add(d("2.10", "Ensure the default cgroup usage has been confirmed", 2, true, Severity.LOW,
            DaemonChecks::cgroupParent));
        c.add(d("2.11", "Ensure base device size is not changed until needed", 2, true, Severity.LOW,
            DaemonChecks::baseSize));
        c.add(d("2.12", "Ensure that authorization for Docker client commands is enabled", 2, true, Severity.MEDIUM,
            DaemonChecks::authz));
        c.add(d("2.13", "Ensure centralized and remote logging is configured", 2, true, Severity.LOW,
            DaemonChecks::remoteLogging));
        c.add(d("2.14", "Ensure containers are restricted from acquiring new privileges", 1, true, Severity.MEDIUM,
            DaemonChecks::noNewPrivileges));
        c.add(d("2.15", "Ensure live restore is enabled", 1, true, Severity.LOW, DaemonChecks::liveRestore));
        c.add(d("2.16", "Ensure Userland Proxy is Disabled", 1, true, Severity.LOW, DaemonChecks::userlandProxy));
        c.add(d("2.17", "Ensure that a daemon-wide custom seccomp profile is applied if appropriate", 2, true,
            Severity.MEDIUM, DaemonChecks::seccomp));
        c.add(d("2.18", "Ensure that experimental features are not implemented in production", 1, true, Severity.LOW,
            DaemonChecks::experimental));
        c.add(d(Catalogue.DEVICEMAPPER, "Ensure devicemapper storage driver is not used", 1, true, Severity.LOW,
            f -> storageDriver(f, "devicemapper", "devicemapper is deprecated and removed from Docker 25")));
        return c;
    }

    private static Check d(String id, String title, int level, boolean automated, Severity sev, Check.DaemonRule rule) {
        return Check.daemon(new CheckInfo(id, title, 2, level, automated, sev, "daemon"), rule);
    }

    /** "daemon.json /etc/docker/daemon.json" or "dockerd (pid 42)" — where a default came from. */
    private static String unset(DaemonSettings s, String key) {
        return "\"" + key + "\" not set in " + (s.configExists() ? s.configPath() : s.configPath() + " (absent)")
            + (s.commandLineKnown() ? " nor on the command line (" + s.commandLineSource() + ")" : "; dockerd command line unknown");
    }

    private static String json(DaemonSettings s) {
        return s.configPath();
    }

    // ------------------------------------------------------------------ 2.1

    private static Verdict rootless(Facts f) {
        if (f.securityOption("rootless")) return Verdict.pass("the daemon runs rootless (/info SecurityOptions name=rootless)");
        DaemonSettings s = f.settings();
        int uid = s.process().map(DaemonProcess::uid).orElse(-1);
        if (uid > 0) return Verdict.pass("dockerd runs as uid " + uid);
        return Verdict.review("dockerd runs as " + (uid == 0 ? "root (uid 0)" : "root (no rootless mode in /info)")
                + "; rootless mode is advisable where its limits are acceptable",
            "Install the rootless daemon: dockerd-rootless-setuptool.sh install (as the unprivileged user)");
    }

    // ------------------------------------------------------------------ 2.2

    private static Verdict icc(Facts f) {
        DaemonSettings s = f.settings();
        String fix = "Set \"icc\": false in " + json(s) + " (or dockerd --icc=false; it needs iptables enabled) and "
            + "restart dockerd; connect containers that must talk through user-defined networks";
        Optional<JsonNode> bridge = defaultBridge(f);
        Optional<Setting> set = s.get("icc");
        if (bridge.isPresent()) {
            String enabled = bridge.get().path("Options").path("com.docker.network.bridge.enable_icc").asText("true");
            if (enabled.equals("false")) {
                return Verdict.pass("default bridge network has com.docker.network.bridge.enable_icc=false"
                    + set.map(x -> " (" + x.source() + ")").orElse(""));
            }
            return Verdict.fail("default bridge network has com.docker.network.bridge.enable_icc=" + enabled
                + set.map(x -> " (" + x.source() + ")").orElse(" (" + unset(s, "icc") + "; default true)"), fix);
        }
        Optional<Setting> br = s.get("bridge");
        if (br.isPresent() && br.get().last().equals("none")) {
            return Verdict.info("the default bridge is disabled (" + br.get().source() + "): no container uses it");
        }
        Optional<Boolean> icc = s.bool("icc");
        if (icc.isPresent() && !icc.get()) return Verdict.pass(set.get().source());
        return Verdict.fail(icc.isPresent() ? set.get().source() : unset(s, "icc") + " (default true)", fix);
    }

    static Optional<JsonNode> defaultBridge(Facts f) {
        for (JsonNode n : f.networks()) {
            if (n.path("Options").path("com.docker.network.bridge.default_bridge").asText("").equals("true")
                || (n.path("Name").asText().equals("bridge") && n.path("Driver").asText().equals("bridge"))) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ 2.3

    private static Verdict logLevel(Facts f) {
        DaemonSettings s = f.settings();
        String fix = "Set \"log-level\": \"info\" in " + json(s) + " (or dockerd --log-level=info) and remove "
            + "\"debug\": true / -D; restart dockerd";
        Optional<Boolean> debug = s.bool("debug");
        if (debug.orElse(false) || f.info().path("Debug").asBoolean(false)) {
            return Verdict.fail("debug logging is on (" + s.get("debug").map(Setting::source).orElse("/info Debug=true") + ")", fix);
        }
        Optional<Setting> level = s.get("log-level");
        if (level.isEmpty()) return Verdict.pass(unset(s, "log-level") + ": default info");
        String v = level.get().last().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("info")) return Verdict.pass(level.get().source());
        return Verdict.fail(level.get().source() + (v.equals("debug") || v.equals("trace")
            ? ": too verbose, may log sensitive data" : ": too quiet, security events are lost"), fix);
    }

    // ------------------------------------------------------------------ 2.4

    private static Verdict iptables(Facts f) {
        DaemonSettings s = f.settings();
        Optional<Boolean> v = s.bool("iptables");
        if (v.isPresent() && !v.get()) {
            return Verdict.fail(s.get("iptables").get().source() + ": Docker cannot keep its firewall rules in line with "
                + "container networking", "Remove \"iptables\": false from " + json(s)
                + " (or --iptables=false from dockerd's command line) and restart dockerd");
        }
        return Verdict.pass(v.isPresent() ? s.get("iptables").get().source() : unset(s, "iptables") + ": default true");
    }

    // ------------------------------------------------------------------ 2.5

    private static Verdict insecureRegistries(Facts f) {
        DaemonSettings s = f.settings();
        List<String> insecure = new ArrayList<>(s.list("insecure-registries"));
        JsonNode reg = f.info().path("RegistryConfig");
        for (JsonNode cidr : reg.path("InsecureRegistryCIDRs")) {
            String c = cidr.asText();
            // 127.0.0.0/8 is always there: loopback registries are insecure by design of the daemon
            if (!c.equals("127.0.0.0/8") && !c.equals("::1/128") && !insecure.contains(c)) insecure.add(c);
        }
        Iterator<Map.Entry<String, JsonNode>> it = reg.path("IndexConfigs").properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().path("Secure").asBoolean(true) && !insecure.contains(e.getKey())) insecure.add(e.getKey());
        }
        if (insecure.isEmpty()) {
            return Verdict.pass("no insecure registries (" + unset(s, "insecure-registries")
                + "; /info InsecureRegistryCIDRs holds only the implicit 127.0.0.0/8)");
        }
        return Verdict.fail("insecure registries: " + String.join(", ", insecure)
                + s.get("insecure-registries").map(x -> " (" + x.source() + ")").orElse(" (/info RegistryConfig)"),
            "Remove \"insecure-registries\" from " + json(s) + " (and --insecure-registry flags), serve those "
                + "registries over TLS and put their CA in /etc/docker/certs.d/<registry>/ca.crt; restart dockerd");
    }

    // ------------------------------------------------------------------ 2.6 and v1.8 2.7

    private static Verdict storageDriver(Facts f, String bad, String why) {
        String driver = f.info().path("Driver").asText("");
        if (driver.equals(bad)) {
            return Verdict.fail("/info Driver=" + driver + ": " + why,
                "Set \"storage-driver\": \"overlay2\" in " + json(f.settings()) + " and restart dockerd "
                    + "(images and containers of the old driver must be rebuilt or re-pulled)");
        }
        return Verdict.pass("/info Driver=" + driver);
    }

    // ------------------------------------------------------------------ 2.7

    /** The TCP endpoints the daemon listens on: -H tcp://, "hosts", and a docker.socket unit's TCP ListenStream. */
    static List<String> tcpHosts(Facts f) throws IOException {
        DaemonSettings s = f.settings();
        List<String> out = new ArrayList<>();
        for (String h : s.hosts()) {
            if (h.startsWith("tcp://") || h.matches("^[0-9.:\\[\\]a-zA-Z-]*:\\d+$")) out.add(h);
            if (h.startsWith("fd://")) {
                for (String l : FileChecks.listenStreams(f)) {
                    if (!l.startsWith("/")) out.add("tcp://" + l + " (docker.socket ListenStream)");
                }
            }
        }
        return out;
    }

    private static Verdict tls(Facts f) throws IOException {
        DaemonSettings s = f.settings();
        List<String> tcp = tcpHosts(f);
        if (tcp.isEmpty()) {
            return Verdict.info("the daemon does not listen on TCP (hosts: " + String.join(", ", s.hosts()) + ")");
        }
        String fix = "Set \"tlsverify\": true, \"tlscacert\": \"/etc/docker/tls/ca.pem\", \"tlscert\": "
            + "\"/etc/docker/tls/server-cert.pem\", \"tlskey\": \"/etc/docker/tls/server-key.pem\" in " + json(s)
            + " (or dockerd --tlsverify --tlscacert=... --tlscert=... --tlskey=...) and restart dockerd, or stop "
            + "listening on " + tcp.getFirst();
        boolean verify = s.bool("tlsverify").orElse(false);
        boolean tlsOn = s.bool("tls").orElse(false);
        if (verify) {
            List<String> missing = new ArrayList<>();
            for (String k : List.of("tlscacert", "tlscert", "tlskey")) {
                if (s.get(k).isEmpty()) missing.add(k);
            }
            return Verdict.pass("TCP " + String.join(", ", tcp) + " with client certificate verification ("
                + s.get("tlsverify").get().source() + (missing.isEmpty() ? "" : "; " + String.join(", ", missing)
                + " from the defaults in ~/.docker") + ")");
        }
        if (tlsOn) {
            return Verdict.fail("TCP " + String.join(", ", tcp) + " with TLS but without client verification ("
                + s.get("tls").get().source() + "): anyone who reaches the port controls the daemon", fix);
        }
        return Verdict.fail("TCP " + String.join(", ", tcp) + " without TLS: anyone who reaches the port is root on "
            + "this host", fix);
    }

    // ------------------------------------------------------------------ 2.8

    private static Verdict defaultUlimit(Facts f) {
        DaemonSettings s = f.settings();
        Optional<Setting> u = s.get("default-ulimits");
        if (u.isPresent() && !u.get().values().isEmpty()) {
            return Verdict.pass("default ulimits: " + String.join(", ", u.get().values()) + " (" + u.get().source() + ")");
        }
        return Verdict.review(unset(s, "default-ulimits") + ": containers inherit dockerd's own limits",
            "Set \"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024, \"Hard\": 4096}, \"nproc\": "
                + "{\"Name\": \"nproc\", \"Soft\": 1024, \"Hard\": 2048}} in " + json(s) + " (or dockerd "
                + "--default-ulimit nofile=1024:4096 --default-ulimit nproc=1024:2048) and restart dockerd");
    }

    // ------------------------------------------------------------------ 2.9

    private static Verdict userns(Facts f) {
        DaemonSettings s = f.settings();
        Optional<Setting> remap = s.get("userns-remap");
        if (f.securityOption("userns")) {
            return Verdict.pass("/info SecurityOptions has name=userns" + remap.map(r -> " (" + r.source() + ")").orElse(""));
        }
        if (f.securityOption("rootless")) return Verdict.pass("rootless daemon: containers run in a user namespace");
        return Verdict.fail(remap.map(r -> r.source() + " but /info shows no name=userns (\"root\" is a no-op)")
                .orElse(unset(s, "userns-remap")),
            "Set \"userns-remap\": \"default\" in " + json(s) + " (or dockerd --userns-remap=default; "
                + "/etc/subuid and /etc/subgid need a range for the user) and restart dockerd");
    }

    // ------------------------------------------------------------------ 2.10

    private static Verdict cgroupParent(Facts f) {
        DaemonSettings s = f.settings();
        Optional<Setting> p = s.get("cgroup-parent");
        if (p.isEmpty() || p.get().last().isBlank()) return Verdict.pass(unset(s, "cgroup-parent") + ": default cgroup");
        return Verdict.fail(p.get().source() + ": containers are placed under a non-default cgroup; confirm this "
            + "is intended", "Remove \"cgroup-parent\" from " + json(s) + " (or --cgroup-parent) unless required, "
            + "and restart dockerd");
    }

    // ------------------------------------------------------------------ 2.11

    private static Verdict baseSize(Facts f) {
        DaemonSettings s = f.settings();
        List<String> opts = s.list("storage-opts");
        List<String> bad = opts.stream().filter(o -> o.startsWith("dm.basesize")).toList();
        if (bad.isEmpty()) {
            return Verdict.pass(opts.isEmpty() ? unset(s, "storage-opts") : "storage-opts without dm.basesize: "
                + String.join(", ", opts));
        }
        return Verdict.fail(String.join(", ", bad) + " (" + s.get("storage-opts").get().source() + ")",
            "Remove dm.basesize from \"storage-opts\" in " + json(s) + " (or the --storage-opt flag) unless needed");
    }

    // ------------------------------------------------------------------ 2.12

    private static Verdict authz(Facts f) {
        DaemonSettings s = f.settings();
        List<String> plugins = new ArrayList<>(s.list("authorization-plugins"));
        for (JsonNode p : f.info().path("Plugins").path("Authorization")) {
            if (!plugins.contains(p.asText())) plugins.add(p.asText());
        }
        if (!plugins.isEmpty()) return Verdict.pass("authorization plugins: " + String.join(", ", plugins));
        return Verdict.fail(unset(s, "authorization-plugins") + "; /info Plugins.Authorization is empty: every "
                + "client of the socket may do anything",
            "Set \"authorization-plugins\": [\"<plugin>\"] in " + json(s)
                + " (or dockerd --authorization-plugin=<plugin>) and restart dockerd");
    }

    // ------------------------------------------------------------------ 2.13

    private static Verdict remoteLogging(Facts f) {
        String driver = f.info().path("LoggingDriver").asText("");
        DaemonSettings s = f.settings();
        String fix = "Set \"log-driver\": \"syslog\", \"log-opts\": {\"syslog-address\": \"tcp://<log-host>:514\"} "
            + "(or fluentd, gelf, splunk, awslogs...) in " + json(s) + " and restart dockerd";
        switch (driver) {
            case "json-file", "local", "none", "" -> {
                return Verdict.fail("/info LoggingDriver=" + (driver.isEmpty() ? "(none)" : driver)
                    + ": container logs stay on this host", fix);
            }
            case "journald", "etwlogs" -> {
                return Verdict.review("/info LoggingDriver=" + driver + ": logs go to the host's journal; confirm it "
                    + "is forwarded to a central log host", fix);
            }
            default -> {
                String opts = String.join(", ", s.list("log-opts"));
                return Verdict.pass("/info LoggingDriver=" + driver + (opts.isEmpty() ? "" : " (" + opts + ")"));
            }
        }
    }

    // ------------------------------------------------------------------ 2.14

    private static Verdict noNewPrivileges(Facts f) {
        DaemonSettings s = f.settings();
        Optional<Boolean> v = s.bool("no-new-privileges");
        if (v.orElse(false)) return Verdict.pass(s.get("no-new-privileges").get().source());
        return Verdict.fail(v.isPresent() ? s.get("no-new-privileges").get().source()
                : unset(s, "no-new-privileges") + ": default false",
            "Set \"no-new-privileges\": true in " + json(s) + " (or dockerd --no-new-privileges) and restart dockerd");
    }

    // ------------------------------------------------------------------ 2.15

    private static Verdict liveRestore(Facts f) {
        JsonNode info = f.info();
        if (info.path("LiveRestoreEnabled").asBoolean(false)) return Verdict.pass("/info LiveRestoreEnabled=true");
        if (f.swarmActive()) {
            return Verdict.info("swarm mode is active: live restore does not apply to swarm services");
        }
        DaemonSettings s = f.settings();
        return Verdict.fail("/info LiveRestoreEnabled=false" + s.get("live-restore").map(x -> " (" + x.source() + ")")
                .orElse(" (" + unset(s, "live-restore") + ")"),
            "Set \"live-restore\": true in " + json(s) + " (or dockerd --live-restore) and reload dockerd "
                + "(kill -HUP works for this key)");
    }

    // ------------------------------------------------------------------ 2.16

    private static Verdict userlandProxy(Facts f) {
        DaemonSettings s = f.settings();
        Optional<Boolean> v = s.bool("userland-proxy");
        if (v.isPresent() && !v.get()) return Verdict.pass(s.get("userland-proxy").get().source());
        return Verdict.fail(v.isPresent() ? s.get("userland-proxy").get().source()
                : unset(s, "userland-proxy") + ": default true (docker-proxy processes serve published ports)",
            "Set \"userland-proxy\": false in " + json(s) + " (or dockerd --userland-proxy=false) and restart dockerd");
    }

    // ------------------------------------------------------------------ 2.17

    private static Verdict seccomp(Facts f) {
        String opt = f.securityOptions().stream().filter(o -> o.startsWith("name=seccomp")).findFirst().orElse("");
        String fix = "Remove \"seccomp-profile\" from " + json(f.settings()) + " to use Docker's default profile, or "
            + "point it at a vetted custom profile; restart dockerd";
        if (opt.isEmpty()) {
            return Verdict.fail("/info SecurityOptions has no seccomp entry: the daemon or kernel runs containers "
                + "without seccomp", "Use a kernel and dockerd built with seccomp support");
        }
        String profile = "";
        for (String part : opt.split(",")) {
            if (part.startsWith("profile=")) profile = part.substring("profile=".length());
        }
        if (profile.equals("unconfined")) {
            return Verdict.fail("/info SecurityOptions " + opt + ": containers run without seccomp by default", fix);
        }
        if (profile.isEmpty() || profile.equals("default")) {
            return Verdict.pass("/info SecurityOptions " + opt + ": Docker's default seccomp profile");
        }
        return Verdict.pass("/info SecurityOptions " + opt + ": a daemon-wide custom seccomp profile");
    }

    // ------------------------------------------------------------------ 2.18

    private static Verdict experimental(Facts f) {
        boolean exp = f.info().path("ExperimentalBuild").asBoolean(false)
            || f.version().path("Experimental").asBoolean(false);
        if (!exp) return Verdict.pass("/version Experimental=false");
        DaemonSettings s = f.settings();
        return Verdict.fail("/version Experimental=true" + s.get("experimental").map(x -> " (" + x.source() + ")").orElse(""),
            "Remove \"experimental\": true from " + json(s) + " (or --experimental) and restart dockerd");
    }
}
