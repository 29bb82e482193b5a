package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bulwark run` refusing bad input before anything starts: one line, the exit code for usage (2) or input (3), and
 * nothing written (the rootfs store stays untouched). The runs themselves are in RunCliIT.
 */
class RunCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    void usage(String expected, String... args) throws Exception {
        Path store = tmp.resolve("store");
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "--rootfs-dir=" + store;
        System.arraycopy(args, 0, all, 2, args.length);
        Run r = run(all);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("bulwark: ").contains(expected).doesNotContain("\n").doesNotContain("Exception");
        assertThat(store).doesNotExist();
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        usage("run needs an IMAGE");
        usage("not a memory size: lots", "--memory", "lots", "oci:/x");
        usage("below runc's minimum", "--memory", "1k", "oci:/x");
        usage("--cpus -1.0 is not a CPU count", "--cpus", "-1", "oci:/x");
        usage("--pids-limit must be positive", "--pids-limit", "0", "oci:/x");
        usage("--network host: only none is supported", "--network", "host", "oci:/x");
        usage("host path must be absolute", "-v", "rel:/x", "oci:/x");
        usage("mode must be ro or rw", "-v", "/a:/b:rx", "oci:/x");
        usage("--tmpfs tmp: must be an absolute path", "--tmpfs", "tmp", "oci:/x");
        usage("--workdir must be absolute", "-w", "srv", "oci:/x");
        usage("--gate-severity SOMEWHAT", "--gate-severity", "SOMEWHAT", "oci:/x");
        usage("--cap-add NET-ADMIN: not a capability", "--cap-add", "NET-ADMIN", "oci:/x");
        usage("-e =x: expected NAME[=VALUE]", "-e", "=x", "oci:/x");
    }

    @Test
    void appArmorIsRefusedWhereTheKernelHasNone() throws Exception {
        // this machine's kernel has no AppArmor (DESIGN.md): one line. Where it is enabled the option passes this
        // check and the run fails later, on the image that does not exist.
        Run r = run("run", "--rootfs-dir", tmp.resolve("s").toString(), "--apparmor", "bulwark-default", "oci:/x");
        assertThat(r.code()).isEqualTo(3);
        if (!dev.bulwark.harden.run.Runner.appArmorEnabled()) {
            assertThat(r.err().strip()).isEqualTo("bulwark: --apparmor bulwark-default: AppArmor is not enabled in this kernel"
                    + " (/sys/module/apparmor/parameters/enabled)");
        } else {
            assertThat(r.err()).doesNotContain("AppArmor is not enabled");
        }
    }

    @Test
    void aMissingRuncOrImageIsOneInputErrorLine() throws Exception {
        Run noRunc = run("run", "--rootfs-dir", tmp.resolve("s").toString(), "--runc", tmp.resolve("no-runc").toString(), "oci:/x");
        assertThat(noRunc.code()).isEqualTo(3);
        assertThat(noRunc.err().strip()).isEqualTo("bulwark: " + tmp.resolve("no-runc") + ": not an executable runc");
        Path fakeRunc = Files.writeString(tmp.resolve("runc"), "#!/bin/sh\nexit 99\n");
        fakeRunc.toFile().setExecutable(true);
        Run noImage = run("run", "--rootfs-dir", tmp.resolve("s").toString(), "--runc", fakeRunc.toString(), "oci:" + tmp.resolve("missing"));
        assertThat(noImage.code()).isEqualTo(3);
        assertThat(noImage.err().strip().lines().filter(l -> !l.startsWith("bulwark: user namespace:")).toList())
                .singleElement().satisfies(l -> assertThat(l).startsWith("bulwark: ").contains("missing"));
    }

    /** Debian 12 with zlib 1:1.2.13.dfsg-1, which bookworm-security fixes (in the built-in advisories) in +deb12u1. */
    String zlibImage(String version) throws Exception {
        Path dir = tmp.resolve("img-" + version.replace(':', '_'));
        dev.bulwark.image.Fixtures.ociLayout(dir, "1", java.util.List.of(dev.bulwark.image.Fixtures.gzLayer(java.util.List.of(
                dev.bulwark.image.Fixtures.E.file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
                dev.bulwark.image.Fixtures.E.file("var/lib/dpkg/status", "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\n"
                        + "Source: zlib\nVersion: " + version + "\n\n")))));
        return "oci:" + dir + ":1";
    }

    @Test
    void theScanGateRefusesAVulnerableImageAndThePolicyGateADeniedRun() throws Exception {
        Path fakeRunc = Files.writeString(tmp.resolve("runc"), "#!/bin/sh\necho runc must not run >&2\nexit 99\n");
        fakeRunc.toFile().setExecutable(true);
        String db = tmp.resolve("db").toString();
        Path store = tmp.resolve("store");
        Run vulnerable = run("run", "-q", "--no-cache", "--db", db, "--rootfs-dir", store.toString(), "--runc", fakeRunc.toString(),
                "--gate-severity", "LOW", zlibImage("1:1.2.13.dfsg-1"), "--", "true");
        assertThat(vulnerable.code()).as(vulnerable.err()).isEqualTo(1);
        assertThat(vulnerable.err()).startsWith("bulwark: refused: ").contains("at or above LOW").contains("zlib1g 1:1.2.13.dfsg-1")
                .doesNotContain("runc must not run");
        assertThat(store).doesNotExist();

        // the fixed version passes the scan gate; a policy that denies every create stops it before runc
        Path denyAll = Files.writeString(tmp.resolve("deny.yaml"), "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: allow\nrules:\n"
                + "  - name: no-writable-root\n    match: {actions: [container.create]}\n    condition: '!readonlyRootfs || memory > 1073741824'\n"
                + "    effect: deny\n    message: too loose\n");
        Run fixed = run("run", "-q", "--no-cache", "--db", db, "--rootfs-dir", store.toString(), "--runc", fakeRunc.toString(),
                "--gate-severity", "LOW", "--policy", denyAll.toString(), "--memory", "2g", "--user", "1000:1000", zlibImage("1:1.2.13.dfsg-1+deb12u1"), "--", "true");
        assertThat(fixed.code()).as(fixed.err()).isEqualTo(1);
        assertThat(fixed.err().strip()).isEqualTo("bulwark: refused by policy " + denyAll + ": no-writable-root: too loose");
        // within the policy the run goes on to runc, which first needs to reach the rootfs from the user namespace:
        // the test's private temp dir (0700) stops it, with one line, before runc starts (RunCliIT runs it)
        Run allowed = run("run", "-q", "--db", db, "--rootfs-dir", store.toString(), "--runc", fakeRunc.toString(),
                "--policy", denyAll.toString(), "--user", "1000:1000", zlibImage("1:1.2.13.dfsg-1+deb12u1"), "--", "true");
        assertThat(allowed.code()).as(allowed.err()).isEqualTo(3);
        assertThat(allowed.err().strip()).contains("mode 0700: the user namespace's root (host uid").contains("cannot reach")
                .doesNotContain("runc must not run").doesNotContain("\n");
        // the image's USER names an account its /etc/passwd does not have: one line, before runc
        Run noUser = run("run", "-q", "--rootfs-dir", store.toString(), "--runc", fakeRunc.toString(), zlibImage("1:1.2.13.dfsg-1+deb12u1"));
        assertThat(noUser.code()).isEqualTo(3);
        assertThat(noUser.err().strip()).isEqualTo("bulwark: the image's USER app: no user app in the image's /etc/passwd");
        Run badPolicy = run("run", "-q", "--rootfs-dir", store.toString(), "--runc", fakeRunc.toString(),
                "--policy", tmp.resolve("none.yaml").toString(), zlibImage("1:1.2.13.dfsg-1+deb12u1"));
        assertThat(badPolicy.code()).isEqualTo(3);
        assertThat(badPolicy.err().strip()).startsWith("bulwark: ").contains("none.yaml").doesNotContain("\n");
    }

    @Test
    void garbageAsAnImageIsAnInputError() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.tar"), new byte[] {1, 2, 3, 4, 5});
        Path fakeRunc = Files.writeString(tmp.resolve("runc"), "#!/bin/sh\nexit 99\n");
        fakeRunc.toFile().setExecutable(true);
        Run r = run("run", "-q", "--rootfs-dir", tmp.resolve("s").toString(), "--runc", fakeRunc.toString(), "docker-archive:" + junk);
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("bulwark: ").doesNotContain("\n").doesNotContain("Exception");
    }
}
