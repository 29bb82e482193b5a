package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainCommandsTest {
    @Test
    void everyCommandIsListedUnderItsOwnName() {
        Main.COMMANDS.forEach((name, c) -> assertThat(c.getAnnotation(Command.class).name()).as(c.getName()).isEqualTo(name));
        assertThat(Main.COMMANDS).hasSize(16).containsKeys("run", "scan", "sbom", "serve", "test");
    }

    @Test
    void aCommandLineNamingOneCommandStillRunsIt() {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = Main.run(new String[]{"policy", "--help"}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: bulwark policy");
    }
}
