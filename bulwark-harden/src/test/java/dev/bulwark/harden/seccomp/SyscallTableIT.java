package dev.bulwark.harden.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed syscall table is exactly what scripts/gen-syscalls.sh makes from this machine's libseccomp, and
 * agrees with the kernel headers where both speak (x86_64 numbers from asm/unistd_64.h).
 */
class SyscallTableIT {
    @TempDir
    Path tmp;

    @Test
    void committedTableIsTheGeneratedOne() throws Exception {
        TestComponents.requireTool("scmp_sys_resolver");
        Path out = tmp.resolve("syscalls.tsv");
        Process p = new ProcessBuilder("bash", TestComponents.root().resolve("scripts/gen-syscalls.sh").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        try (InputStream in = SyscallTable.class.getResourceAsStream(SyscallTable.RESOURCE)) {
            assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(out));
        }
    }

    @Test
    void agreesWithTheKernelHeaders() throws Exception {
        Path h = TestComponents.require(Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"), "linux-libc-dev headers");
        SyscallTable t = SyscallTable.get();
        int checked = 0;
        for (String line : Files.readAllLines(h)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("#define") && f[1].startsWith("__NR_")) {
                String name = f[1].substring(5);
                long nr = Long.parseLong(f[2]);
                // libseccomp 2.5.4 predates some of the newest calls; those it knows must have the header's number
                if (t.number(Arch.X86_64, name).isPresent()) {
                    assertThat(t.number(Arch.X86_64, name)).as(name).contains(nr);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(300);
    }
}
