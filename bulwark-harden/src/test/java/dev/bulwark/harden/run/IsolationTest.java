package dev.bulwark.harden.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.harden.HardenException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IsolationTest {
    @Test
    void levelsParseInAnyCaseAndOrderFromWeakToStrong() {
        assertThat(Isolation.parse("VM")).isEqualTo(Isolation.VM);
        assertThat(Isolation.parse(" sandbox ")).isEqualTo(Isolation.SANDBOX);
        assertThat(Isolation.VM.atLeast(Isolation.SANDBOX)).isTrue();
        assertThat(Isolation.SANDBOX.atLeast(Isolation.SANDBOX)).isTrue();
        assertThat(Isolation.CONTAINER.atLeast(Isolation.SANDBOX)).isFalse();
        assertThat(Isolation.SANDBOX.id()).isEqualTo("sandbox");
    }

    @Test
    void anUnknownLevelNamesTheChoices() {
        assertThatThrownBy(() -> Isolation.parse("kata")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("isolation kata: one of container, sandbox, vm");
        assertThatThrownBy(() -> Isolation.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingRunscIsOneClearLine() {
        assertThatThrownBy(() -> Runner.requireSandbox(Path.of("/nonexistent/runsc"))).isInstanceOf(HardenException.class)
                .satisfies(e -> assertThat(((HardenException) e).oneLine())
                        .isEqualTo("/nonexistent/runsc: no gVisor runsc here (install the runsc package, or give --runsc PATH)"));
    }
}
