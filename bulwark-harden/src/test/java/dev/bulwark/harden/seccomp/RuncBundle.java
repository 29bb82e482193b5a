package dev.bulwark.harden.seccomp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.image.testenv.TestComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away OCI bundle over the bookworm test rootfs (read-only: runc never writes to it), run with the real
 * runc: no network namespace wiring (a fresh, empty network namespace), no terminal, noNewPrivileges on, and the
 * given seccomp profile in {@code linux.seccomp}. State lives in a temp dir, deleted with the container.
 */
final class RuncBundle {
    record Result(int exit, String out, String err) {
        String both() {
            return out + err;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuncBundle() {}

    static Result run(SeccompProfile profile, Path tmp, String... args) throws IOException, InterruptedException {
        Path runc = TestComponents.requireTool("runc");
        Path rootfs = TestComponents.rootfsDir();
        String id = "bulwark-hd-" + UUID.randomUUID().toString().substring(0, 8);
        Path bundle = Files.createDirectories(tmp.resolve(id));
        Path state = Files.createDirectories(tmp.resolve(id + "-state"));
        ObjectNode c = JSON.createObjectNode();
        c.put("ociVersion", "1.0.2-dev");
        ObjectNode proc = c.putObject("process");
        proc.put("terminal", false);
        proc.putObject("user").put("uid", 0).put("gid", 0);
        ArrayNode a = proc.putArray("args");
        for (String s : args) a.add(s);
        proc.putArray("env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        proc.put("cwd", "/");
        ObjectNode caps = proc.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode s = caps.putArray(set);
            SyscallQuery.dockerDefaultCaps().stream().sorted().forEach(s::add);
        }
        proc.put("noNewPrivileges", true);
        c.putObject("root").put("path", rootfs.toString()).put("readonly", true);
        c.put("hostname", "bulwark");
        ArrayNode mounts = c.putArray("mounts");
        mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
        ObjectNode dev = mounts.addObject().put("destination", "/dev").put("type", "tmpfs").put("source", "tmpfs");
        dev.putArray("options").add("nosuid").add("mode=755").add("size=1024k");
        ObjectNode linux = c.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (String t : List.of("pid", "network", "ipc", "uts", "mount")) ns.addObject().put("type", t);
        linux.set("seccomp", JSON.readTree(Seccomp.toJson(profile)));
        Files.writeString(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));

        Path out = tmp.resolve(id + ".out");
        Path err = tmp.resolve(id + ".err");
        Process p = new ProcessBuilder(runc.toString(), "--root", state.toString(), "run", "--bundle", bundle.toString(), id)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("runc run " + String.join(" ", args) + " still running after 60 s");
            }
        } finally {
            new ProcessBuilder(runc.toString(), "--root", state.toString(), "delete", "-f", id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
