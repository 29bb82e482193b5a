package dev.bulwark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.harden.run.Isolation;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.match.Matcher;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Decision;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Severity;
import dev.bulwark.policy.Policy;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.docker.DockerApiRequest;
import dev.bulwark.policy.docker.DockerRequests;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The two gates `bulwark run` may pass before it starts anything: the scan (the same inventory and matcher as
 * `bulwark scan`) and the policy (the container create this run amounts to, decided as the authorization plugin
 * would decide it).
 */
final class RunGates {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunGates() {}

    /** Findings at or above {@code min}, most severe first. */
    static List<Finding> scan(ImageOptions image, DbLocation db, Severity min, PrintWriter err)
            throws BulwarkException, IOException, InterruptedException {
        Inventory inv = InventoryRunner.inventory(image, true, err);
        try (VulnDb vdb = VulnDb.openOrInstallBuiltin(db)) {
            Matcher.Result matched = new Matcher(vdb).match(inv);
            return matched.findings().stream().filter(f -> f.severity().compareTo(min) >= 0 && f.severity() != Severity.UNKNOWN)
                    .sorted(Comparator.comparing(Finding::severity).reversed()).toList();
        }
    }

    /**
     * The policy's decision on this run, put as the Docker Engine create request it is equivalent to. The isolation
     * level is HostConfig.Isolation ({@code container}, {@code sandbox}, {@code vm}: Docker's field for the isolation
     * technology, which on Windows chooses process or Hyper-V VM isolation) and HostConfig.Runtime the runtime that
     * gives it ({@code runc}, {@code runsc}, {@code bulwark-vm}), so a rule can demand a level with
     * {@code body.HostConfig.Isolation}.
     */
    static Decision policy(Policy p, String image, RunSpec s, List<String> capsAdded, String seccomp, Isolation level) throws BulwarkException {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", image);
        body.put("User", s.uid() + ":" + s.gid());
        ArrayNode cmd = body.putArray("Cmd");
        s.args().forEach(cmd::add);
        body.put("WorkingDir", s.cwd());
        ObjectNode h = body.putObject("HostConfig");
        h.put("Privileged", false);
        h.put("Isolation", level.id());
        h.put("Runtime", switch (level) {
            case CONTAINER -> "runc";
            case SANDBOX -> "runsc";
            case VM -> "bulwark-vm";
        });
        h.put("ReadonlyRootfs", s.readOnlyRoot());
        h.putArray("CapDrop").add("ALL");
        ArrayNode add = h.putArray("CapAdd");
        capsAdded.forEach(add::add);
        ArrayNode so = h.putArray("SecurityOpt");
        so.add("no-new-privileges:true");
        so.add("seccomp=" + seccomp);
        h.put("Memory", s.memoryBytes());
        h.put("MemorySwap", s.memoryBytes());
        h.put("NanoCpus", Math.round(s.cpus() * 1e9));
        h.put("PidsLimit", s.pidsLimit());
        h.put("NetworkMode", s.privateNetwork() ? "none" : "host");
        h.put("PidMode", "");
        h.put("IpcMode", "private");
        h.put("UsernsMode", s.idMap() == null ? "host" : "");
        ArrayNode binds = h.putArray("Binds");
        for (RunSpec.Bind b : s.binds()) binds.add(b.source() + ":" + b.target() + (b.writable() ? "" : ":ro"));
        ObjectNode tmpfs = h.putObject("Tmpfs");
        s.tmpfs().forEach(t -> tmpfs.put(t, "rw,noexec,nosuid,nodev,size=64m"));
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        DockerApiRequest req = new DockerApiRequest("POST", "/v1.41/containers/create", bytes,
                Map.of("Content-Type", "application/json"), "", "");
        PolicyRequest r = DockerRequests.decode(req, p::groupsOf);
        return p.decide(r);
    }

    static String describe(Finding f) {
        return f.severity() + " " + f.id() + " " + f.pkg().name() + " " + f.pkg().version();
    }
}
