package dev.bulwark.audit.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditRulesTest {
    @TempDir
    Path root;

    private AuditRules parse(String text) throws Exception {
        Files.createDirectories(root.resolve("etc/docker"));
        List<AuditRules.Rule> rules = new ArrayList<>();
        AuditRules.parse(text, "test.rules", new HostFs(root), rules);
        return new AuditRules(rules, List.of("test.rules"));
    }

    @Test
    void watchesAppendRulesAndTheAuditctlListingFormat() throws Exception {
        AuditRules r = parse("""
            # CIS 1.1.3
            -w /usr/bin/dockerd -k docker
            -a exit,always -F path=/run/containerd -F perm=war -k docker
            -a always,exit -S all -F path=/usr/bin/runc -F perm=rwa -F key=docker
            -w /etc/docker -p wa -k docker
            -a exit,never -F dir=/var/lib/docker/overlay2
            """);
        assertThat(r.covering("/usr/bin/dockerd")).get().extracting(AuditRules.Rule::text)
            .isEqualTo("-w /usr/bin/dockerd -k docker");
        assertThat(r.covering("/run/containerd")).isPresent();
        assertThat(r.covering("/usr/bin/runc")).isPresent();
        // a watch on a directory is recursive: daemon.json is covered by -w /etc/docker
        assertThat(r.covering("/etc/docker/daemon.json")).get().extracting(AuditRules.Rule::path).isEqualTo("/etc/docker");
    }

    @Test
    void exclusionsAndPrefixesDoNotCount() throws Exception {
        AuditRules r = parse("""
            -a exit,never -F dir=/var/lib/docker/overlay2
            -a never,exit -F path=/var/lib/docker
            -w /usr/bin/containerd-shim-runc-v2 -k docker
            #-w /usr/bin/containerd -k docker
            """);
        // docker-bench greps, so "/var/lib/docker" would match the exclusion and "/usr/bin/containerd" the shim's rule
        assertThat(r.covering("/var/lib/docker")).isEmpty();
        assertThat(r.covering("/usr/bin/containerd")).isEmpty();
        assertThat(r.covering("/usr/bin/containerd-shim")).isEmpty();
        assertThat(r.covering("/usr/bin/containerd-shim-runc-v2")).isPresent();
        // -F path= is exact, not recursive
        assertThat(parse("-a exit,always -F path=/run/containerd -k docker").covering("/run/containerd/x")).isEmpty();
        assertThat(parse("-a exit,always -F dir=/run/containerd -k docker").covering("/run/containerd/x")).isPresent();
    }

    @Test
    void rulesDirectoryAndAuditRulesFileAreBothRead() throws Exception {
        Files.createDirectories(root.resolve("etc/audit/rules.d"));
        Files.writeString(root.resolve("etc/audit/audit.rules"), "-w /etc/default/docker -k docker\n");
        Files.writeString(root.resolve("etc/audit/rules.d/docker.rules"), "-w /usr/bin/dockerd -k docker\n");
        Files.writeString(root.resolve("etc/audit/rules.d/README"), "-w /not/a/rules/file\n");
        AuditRules r = AuditRules.read(new HostFs(root), false);
        assertThat(r.sources()).containsExactly("/etc/audit/audit.rules", "/etc/audit/rules.d/docker.rules");
        assertThat(r.covering("/etc/default/docker")).isPresent();
        assertThat(r.covering("/usr/bin/dockerd")).isPresent();
        assertThat(r.covering("/not/a/rules/file")).isEmpty();
    }
}
