package dev.bulwark.policy.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading with a tiny policy format of its own (the first line: "allow" or "deny RULE"; anything else does not
 * load), so these tests are about reloading, not about the policy language.
 */
class PolicyReloaderTest {
    @TempDir
    Path dir;
    private final List<String> events = new CopyOnWriteArrayList<>();

    private static final PolicyReloader.Loader LOADER = file -> {
        String text = Files.readString(file).strip();
        if (text.equals("allow")) return r -> Decision.allow("all", "");
        if (text.startsWith("deny ")) {
            String rule = text.substring(5);
            return r -> Decision.deny(rule, "denied");
        }
        throw new RequestException(file + ":1", "expected allow or deny RULE");
    };

    private final PolicyReloader.Listener listener = new PolicyReloader.Listener() {
        @Override
        public void reloaded(Path file, String trigger) {
            events.add("ok " + trigger);
        }

        @Override
        public void rejected(Path file, String trigger, String error) {
            events.add("rejected " + trigger + ": " + error);
        }
    };

    private static Decision ask(PolicyEngine e) {
        return e.decide(new PolicyRequest("docker", "", List.of(), "system.info", Map.of()));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 200 && !c.getAsBoolean(); i++) Thread.sleep(50);
    }

    @Test
    void aChangedFileIsLoadedAndABrokenOneRejectedKeepingTheOld() throws Exception {
        Path p = Files.writeString(dir.resolve("policy.yaml"), "allow");
        try (PolicyReloader r = PolicyReloader.start(p, LOADER, listener, true)) {
            assertThat(ask(r.get()).allowed()).isTrue();
            Files.writeString(p, "deny r1");
            awaitTrue(() -> !ask(r.get()).allowed());
            assertThat(ask(r.get()).rule()).isEqualTo("r1");
            Files.writeString(p, "garbage");
            awaitTrue(() -> events.stream().anyMatch(e -> e.startsWith("rejected")));
            assertThat(events).anySatisfy(e -> assertThat(e).startsWith("rejected file change").contains("expected allow or deny").contains("stays"));
            assertThat(ask(r.get()).rule()).isEqualTo("r1");
            // an editor's save: write a new file and rename it over the old one
            Path tmp = Files.writeString(dir.resolve(".policy.yaml.swp"), "deny r2");
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitTrue(() -> ask(r.get()).rule().equals("r2"));
            assertThat(ask(r.get()).rule()).isEqualTo("r2");
        }
    }

    @Test
    void aConfigMapVolumeUpdateIsSeen() throws Exception {
        // The kubelet's atomic writer: policy.yaml -> ..data/policy.yaml, ..data -> ..TIMESTAMP; an update writes a new
        // timestamped directory and renames a fresh ..data_tmp symlink over ..data.
        Path v1 = Files.createDirectories(dir.resolve("..2026_12_07_01"));
        Files.writeString(v1.resolve("policy.yaml"), "deny v1");
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path p = Files.createSymbolicLink(dir.resolve("policy.yaml"), Path.of("..data/policy.yaml"));
        try (PolicyReloader r = PolicyReloader.start(p, LOADER, listener, true)) {
            assertThat(ask(r.get()).rule()).isEqualTo("v1");
            Path v2 = Files.createDirectories(dir.resolve("..2026_12_07_02"));
            Files.writeString(v2.resolve("policy.yaml"), "deny v2");
            Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitTrue(() -> ask(r.get()).rule().equals("v2"));
            assertThat(ask(r.get()).rule()).isEqualTo("v2");
            assertThat(events).containsExactly("ok file change");
        }
    }

    @Test
    void otherFilesInTheDirectoryDoNotTriggerAReload() throws Exception {
        Path p = Files.writeString(dir.resolve("policy.yaml"), "allow");
        try (PolicyReloader r = PolicyReloader.start(p, LOADER, listener, true)) {
            Files.writeString(dir.resolve("other.yaml"), "deny x");
            // then a change of the policy itself: the watcher sees events in order, so once this one is handled the
            // other file's has been too, and the only reload must be this one (no fixed sleep for a non-event)
            Files.writeString(p, "deny y");
            awaitTrue(() -> !events.isEmpty());
            assertThat(events).containsExactly("ok file change");
            assertThat(ask(r.get()).allowed()).isFalse();
        }
    }

    @Test
    void reloadOnDemandForcesEvenUnchangedAndReportsAMissingFile() throws Exception {
        Path p = Files.writeString(dir.resolve("policy.yaml"), "deny a");
        try (PolicyReloader r = PolicyReloader.start(p, LOADER, listener, false)) {
            assertThat(r.reload("SIGHUP", false)).isFalse(); // unchanged
            assertThat(r.reload("SIGHUP", true)).isTrue();
            assertThat(events).containsExactly("ok SIGHUP");
            Files.delete(p);
            assertThat(r.reload("SIGHUP", true)).isFalse();
            assertThat(events.get(1)).startsWith("rejected SIGHUP: cannot read");
            assertThat(ask(r.get()).rule()).isEqualTo("a");
        }
    }

    @Test
    void aPolicyThatDoesNotLoadAtStartIsTheCallersError() throws IOException {
        Path p = Files.writeString(dir.resolve("policy.yaml"), "nonsense");
        assertThatThrownBy(() -> PolicyReloader.start(p, LOADER, listener, true)).isInstanceOf(RequestException.class);
    }
}
