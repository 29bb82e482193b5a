package dev.bulwark.harden.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every profile Bulwark writes compiles with the real {@code apparmor_parser -Q -K} (parse and compile, no load). */
class AppArmorParserIT {
    @TempDir
    Path tmp;

    record Compiled(int exit, String output) {}

    Compiled compile(String profile) throws Exception {
        Path parser = TestComponents.requireTool("apparmor_parser");
        Path f = tmp.resolve("profile-" + System.nanoTime());
        Files.writeString(f, profile);
        Process p = new ProcessBuilder(parser.toString(), "-Q", "-K", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Compiled(p.exitValue(), out);
    }

    @Test
    void banesSampleCompiles() throws Exception {
        String profile = AppArmor.profile(BaneTomlTest.parse(BaneTomlTest.SAMPLE), null, "bane.toml");
        Compiled c = compile(profile);
        assertThat(c.exit()).as(c.output()).isZero();
    }

    @Test
    void everyShapeCompiles() throws Exception {
        List<String> configs = List.of(
                "Name = \"minimal\"\n",
                "Name = \"all-net\"\n[Network]\nRaw = true\nPacket = true\nProtocols = [\"tcp\", \"udp\", \"icmp\"]\n",
                "Name = \"caps\"\n[Capabilities]\nAllow = [\"CAP_NET_ADMIN\", \"sys_ptrace\", \"bpf\", \"checkpoint_restore\"]\n",
                "Name = \"spaces.and-dots_1\"\n[Filesystem]\nWritablePaths = [\"/data dir/**\", \"@{HOME}/x\"]\n"
                        + "ReadOnlyPaths = [\"/etc/{passwd,group}\"]\nDenyExec = [\"/usr/bin/*\"]\nAllowExec = [\"/bin/{ba,da}sh\"]\n");
        for (String toml : configs) {
            String profile = AppArmor.profile(BaneTomlTest.parse(toml), null, "t.toml");
            Compiled c = compile(profile);
            assertThat(c.exit()).as(toml + "\n" + profile + "\n" + c.output()).isZero();
        }
    }

    @Test
    void theParserIsRealAndRefusesBrokenProfiles() throws Exception {
        // the check above would mean nothing if the parser accepted anything
        Compiled c = compile("profile broken {\n  capability not_a_cap,\n}\n");
        assertThat(c.exit()).isNotZero();
    }
}
