package dev.bulwark.harden.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.harden.HardenException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BaneTomlTest {
    static final String SAMPLE = """
            # bane's sample, nginx
            Name = "nginx-sample"
            [Filesystem]
            ReadOnlyPaths = ["/bin/**", "/boot/**", "/etc/**", "/usr/**"]
            LogOnWritePaths = ["/**"]
            WritablePaths = ["/var/run/nginx.pid", "/var/cache/nginx/**"]
            AllowExec = ["/usr/sbin/nginx"]
            DenyExec = ["/bin/dash", "/bin/sh", "/usr/bin/top"]
            [Capabilities]
            Allow = ["chown", "dac_override", "setuid", "setgid", "net_bind_service"]
            [Network]
            Raw = false
            Packet = false
            Protocols = ["tcp", "udp", "icmp"]
            """;

    static BaneConfig parse(String toml) throws HardenException {
        return AppArmor.parse(toml.getBytes(StandardCharsets.UTF_8), "bane.toml");
    }

    @Test
    void readsBanesFormat() throws HardenException {
        BaneConfig c = parse(SAMPLE);
        assertThat(c.name()).isEqualTo("nginx-sample");
        assertThat(c.readOnlyPaths()).containsExactly("/bin/**", "/boot/**", "/etc/**", "/usr/**");
        assertThat(c.writablePaths()).contains("/var/cache/nginx/**");
        assertThat(c.allowExec()).containsExactly("/usr/sbin/nginx");
        assertThat(c.denyExec()).hasSize(3);
        assertThat(c.capabilities()).containsExactly("chown", "dac_override", "setuid", "setgid", "net_bind_service");
        assertThat(c.raw()).isFalse();
        assertThat(c.protocols()).containsExactly("tcp", "udp", "icmp");
    }

    @Test
    void profileHasEverySection() throws HardenException {
        String p = AppArmor.profile(parse(SAMPLE), null, "bane.toml");
        assertThat(p).contains("profile nginx-sample flags=(attach_disconnected,mediate_deleted) {")
                .contains("  deny \"/etc/**\" wl,").contains("  audit \"/**\" w,").contains("  \"/var/cache/nginx/**\" rw,")
                .contains("  \"/usr/sbin/nginx\" ix,").contains("  /** rwlkm,").doesNotContain("  file,")
                .contains("  deny \"/bin/dash\" mrwklx,").contains("  capability net_bind_service,")
                .contains("  network inet tcp,").contains("  network inet icmp,").contains("  network inet6 udp,").doesNotContain("inet6 icmp").contains("  deny network raw,")
                .contains("  deny mount,").contains("peer=nginx-sample,").endsWith("}\n");
        assertThat(AppArmor.profile(parse(SAMPLE), "other", "x")).contains("profile other flags=");
    }

    @Test
    void malformedTomlNamesTheLine() {
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Filesystem]\nReadOnlyPaths = [\"/a\",\n= 3\n"))
                .isInstanceOf(HardenException.class)
                .satisfies(e -> assertThat(((HardenException) e).oneLine()).startsWith("bane.toml:4: malformed TOML"));
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Filesystem]\nWriteablePaths = [\"/a\"]\n"))
                .satisfies(e -> assertThat(((HardenException) e).oneLine()).isEqualTo(
                        "bane.toml:3: unknown key Filesystem.WriteablePaths (known: AllowExec, DenyExec, LogOnWritePaths, ReadOnlyPaths, WritablePaths)"));
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Capabilities]\nAllow = [\"sys_fly\"]\n"))
                .satisfies(e -> assertThat(((HardenException) e).oneLine()).isEqualTo("bane.toml:3: unknown capability sys_fly"));
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Network]\nProtocols = [\"sctp\"]\n"))
                .hasMessageContaining("unknown protocol sctp");
        assertThatThrownBy(() -> parse("Name = \"a b\"\n")).hasMessageContaining("is not a profile name");
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Network]\nRaw = \"yes\"\n")).hasMessageContaining("Raw must be true or false");
        assertThatThrownBy(() -> AppArmor.profile(parse("[Network]\nRaw = true\n"), null, "bane.toml"))
                .hasMessageContaining("no Name in the file and no --name");
    }

    @Test
    void hostilePathsCannotAddRules() {
        // a quote would end the quoted path and let the rest become rules
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Filesystem]\nWritablePaths = [\"/tmp\\\" rw,\\n capability sys_admin, \\\"/x\"]\n"))
                .isInstanceOf(HardenException.class).hasMessageContaining("is not an absolute path AppArmor can take");
        assertThatThrownBy(() -> parse("Name = \"a\"\n[Filesystem]\nReadOnlyPaths = [\"relative/path\"]\n"))
                .hasMessageContaining("not an absolute path");
        assertThatThrownBy(() -> AppArmor.profile(parse("Name = \"a\"\n"), "x{y}", "f")).hasMessageContaining("not a profile name");
    }

    @Property(tries = 300)
    void arbitraryBytesEitherParseOrFailWithOneLine(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            BaneConfig c = AppArmor.parse(bytes, "fuzz.toml");
            assertThat(c).isNotNull();
        } catch (HardenException e) {
            assertThat(e.oneLine()).startsWith("fuzz.toml").doesNotContain("\n");
        }
    }

    @Property(tries = 200)
    void truncatedSampleEitherParsesOrFailsWithOneLine(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 600) int cut) {
        String t = SAMPLE.substring(0, Math.min(cut, SAMPLE.length()));
        try {
            assertThat(parse(t)).isNotNull();
        } catch (HardenException e) {
            assertThat(e.oneLine()).startsWith("bane.toml").doesNotContain("\n");
        }
    }
}
