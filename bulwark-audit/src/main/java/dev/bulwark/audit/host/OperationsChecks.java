package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.host.Check.Verdict;
import dev.bulwark.docker.DockerException;
import dev.bulwark.model.Severity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Sections 6 (security operations: sprawl) and 7 (swarm). */
final class OperationsChecks {
    private OperationsChecks() {
    }

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(Check.daemon(new CheckInfo("6.1", "Ensure that image sprawl is avoided", 6, 1, false, Severity.LOW,
            "daemon"), OperationsChecks::imageSprawl));
        c.add(Check.daemon(new CheckInfo("6.2", "Ensure that container sprawl is avoided", 6, 1, false, Severity.LOW,
            "daemon"), OperationsChecks::containerSprawl));
        c.add(swarm("7.1", "Ensure that the minimum number of manager nodes have been created in a swarm", true,
            OperationsChecks::managers));
        c.add(swarm("7.2", "Ensure that swarm services are bound to a specific host interface", true,
            OperationsChecks::listenAddress));
        c.add(swarm("7.3", "Ensure that all Docker swarm overlay networks are encrypted", true,
            OperationsChecks::overlayEncrypted));
        c.add(swarm("7.4", "Ensure that Docker's secret management commands are used for managing secrets in a swarm "
            + "cluster", false, OperationsChecks::secrets));
        c.add(swarm("7.5", "Ensure that swarm manager is run in auto-lock mode", true, OperationsChecks::autolock));
        c.add(swarm("7.6", "Ensure that the swarm manager auto-lock key is rotated periodically", false,
            f -> Verdict.review("when the unlock key was last rotated is not recorded by the daemon",
                "docker swarm unlock-key --rotate (on a schedule, with the key kept in a vault)")));
        c.add(swarm("7.7", "Ensure that node certificates are rotated as appropriate", false, OperationsChecks::certExpiry));
        c.add(swarm("7.8", "Ensure that CA certificates are rotated as appropriate", false,
            f -> Verdict.review("when the swarm root CA was last rotated is not recorded by the daemon",
                "docker swarm ca --rotate (on a schedule)")));
        c.add(swarm("7.9", "Ensure that management plane traffic is separated from data plane traffic", false,
            OperationsChecks::dataPath));
        return c;
    }

    // ------------------------------------------------------------------ 6

    private static Verdict imageSprawl(Facts f) {
        List<Image> images = f.images();
        Set<String> used = new HashSet<>();
        for (Container c : f.containers()) used.add(c.imageId());
        long inUse = images.stream().filter(i -> used.contains(i.id())).count();
        long dangling = images.stream().filter(i -> i.tags().isEmpty()).count();
        return Verdict.review(images.size() + " images, " + inUse + " used by containers, " + dangling + " untagged",
            "docker image prune -a (removes images no container uses); pull by digest");
    }

    private static Verdict containerSprawl(Facts f) {
        JsonNode info = f.info();
        long total = info.path("Containers").asLong(f.containers().size());
        long running = info.path("ContainersRunning").asLong();
        return Verdict.review(total + " containers, " + running + " running, " + info.path("ContainersStopped").asLong()
            + " stopped, " + info.path("ContainersPaused").asLong() + " paused",
            "docker container prune (removes stopped containers)");
    }

    // ------------------------------------------------------------------ 7

    private static Check swarm(String id, String title, boolean automated, Check.DaemonRule rule) {
        CheckInfo info = new CheckInfo(id, title, 7, 1, automated, Severity.MEDIUM, "daemon");
        return Check.daemon(info, f -> {
            String state = f.info().path("Swarm").path("LocalNodeState").asText("inactive");
            if (!state.equals("active")) return Verdict.info("swarm mode is not active (LocalNodeState=" + state + ")");
            return rule.test(f);
        });
    }

    private static Optional<JsonNode> swarmSpec(Facts f) {
        if (!f.info().path("Swarm").path("ControlAvailable").asBoolean(false)) return Optional.empty();
        try {
            return Optional.of(f.swarm());
        } catch (Memo.FactException e) {
            return Optional.empty();
        }
    }

    private static Verdict managers(Facts f) {
        JsonNode s = f.info().path("Swarm");
        int managers = s.path("Managers").asInt(0);
        int nodes = s.path("Nodes").asInt(0);
        String ev = managers + " manager(s) of " + nodes + " node(s)";
        if (managers == 0) return Verdict.review(ev + " (counts are only known on a manager)", "");
        if (managers % 2 == 0 || managers > 7) {
            return Verdict.fail(ev + ": " + (managers > 7 ? "more than 7 managers slows consensus"
                : "an even number adds no fault tolerance"), "docker node demote <node> (keep an odd number, at most 7)");
        }
        return Verdict.pass(ev);
    }

    private static Verdict listenAddress(Facts f) throws IOException {
        List<String> wild = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : f.fs.read(file).orElse("").split("\n")) {
                String[] t = line.strip().split("\\s+");
                if (t.length < 4 || !t[3].equals("0A")) continue;
                String local = t[1];
                int colon = local.lastIndexOf(':');
                if (colon < 0 || !local.substring(colon + 1).equalsIgnoreCase("0951")) continue; // 2377
                if (local.substring(0, colon).matches("0+")) wild.add(file.endsWith("6") ? "[::]:2377" : "0.0.0.0:2377");
            }
        }
        String addr = f.info().path("Swarm").path("NodeAddr").asText("");
        if (!wild.isEmpty()) {
            return Verdict.fail("the swarm management port listens on " + String.join(", ", wild) + " (NodeAddr " + addr + ")",
                "Re-initialise the swarm with --listen-addr <interface address>:2377");
        }
        return Verdict.pass("port 2377 not bound to every interface (NodeAddr " + addr + ")");
    }

    private static Verdict overlayEncrypted(Facts f) {
        List<String> plain = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (JsonNode n : f.networks()) {
            if (!n.path("Driver").asText().equals("overlay")) continue;
            String name = n.path("Name").asText();
            all.add(name);
            if (!n.path("Options").has("encrypted") && !name.equals("ingress")) plain.add(name);
        }
        if (all.isEmpty()) return Verdict.pass("no overlay networks");
        if (plain.isEmpty()) return Verdict.pass("overlay networks encrypted: " + String.join(", ", all));
        return Verdict.fail("unencrypted overlay networks: " + String.join(", ", plain),
            "docker network create --driver overlay --opt encrypted <name> and move the services to it");
    }

    private static Verdict secrets(Facts f) throws DockerException {
        if (swarmSpec(f).isEmpty()) return Verdict.review("not a swarm manager: secrets are listed on managers only", "");
        int n = f.get("/secrets").size();
        if (n > 0) return Verdict.pass(n + " swarm secret(s) in use");
        return Verdict.review("no swarm secrets: confirm services get no secrets through environment or files",
            "docker secret create <name> <file> and --secret in the service definition");
    }

    private static Verdict autolock(Facts f) {
        Optional<JsonNode> spec = swarmSpec(f);
        if (spec.isEmpty()) return Verdict.review("not a swarm manager: auto-lock is visible on managers only", "");
        boolean on = spec.get().path("Spec").path("EncryptionConfig").path("AutoLockManagers").asBoolean(false);
        return on ? Verdict.pass("Spec.EncryptionConfig.AutoLockManagers=true")
            : Verdict.fail("Spec.EncryptionConfig.AutoLockManagers=false", "docker swarm update --autolock=true");
    }

    private static Verdict certExpiry(Facts f) {
        Optional<JsonNode> spec = swarmSpec(f);
        if (spec.isEmpty()) return Verdict.review("not a swarm manager: the certificate expiry is visible on managers only", "");
        long ns = spec.get().path("Spec").path("CAConfig").path("NodeCertExpiry").asLong(0);
        double hours = ns / 3.6e12;
        return Verdict.review("node certificates expire after " + (ns == 0 ? "the default 2160h (90 days)"
                : String.format(java.util.Locale.ROOT, "%.0fh", hours)) + "; confirm this meets the rotation policy",
            "docker swarm update --cert-expiry 48h");
    }

    private static Verdict dataPath(Facts f) {
        JsonNode s = f.info().path("Swarm");
        String node = s.path("NodeAddr").asText("");
        return Verdict.review("management traffic on " + node + "; whether data traffic uses another interface "
            + "(--data-path-addr) is not reported by /info", "docker swarm init --advertise-addr <mgmt-ip> "
            + "--data-path-addr <data-ip>");
    }
}
