package dev.bulwark.harden.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyscallTableTest {
    @Test
    void oneArchitecturesNamesAreTheWholeTablesNames() throws Exception {
        SyscallTable whole;
        try (InputStream in = SyscallTable.class.getResourceAsStream(SyscallTable.RESOURCE)) {
            whole = SyscallTable.parse(in);
        }
        for (Arch a : Arch.values()) {
            assertThat(SyscallTable.readNames(a)).as(a.token()).isEqualTo(whole.names(a));
            assertThat(Seccomp.syscalls(a)).as(a.token()).isEqualTo(whole.names(a));
        }
        assertThat(SyscallTable.readNames(Arch.X86_64)).contains("read", "openat", "socket").hasSizeGreaterThan(300);
    }

    /** The one-architecture read stops at the end of its group: each architecture's lines must be one group. */
    @Test
    void eachArchitecturesLinesAreContiguous() throws Exception {
        String text;
        try (InputStream in = SyscallTable.class.getResourceAsStream(SyscallTable.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> groups = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String token = line.substring(0, line.indexOf('\t'));
            if (groups.isEmpty() || !groups.get(groups.size() - 1).equals(token)) groups.add(token);
        }
        assertThat(groups).doesNotHaveDuplicates().hasSizeGreaterThan(10);
    }
}
