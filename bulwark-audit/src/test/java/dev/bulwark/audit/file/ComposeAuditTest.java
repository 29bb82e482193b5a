package dev.bulwark.audit.file;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.audit.file.Fixtures.at;
import static dev.bulwark.audit.file.Fixtures.of;
import static dev.bulwark.audit.file.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeAuditTest {

    private static AuditReport compose(String yaml) throws AuditException {
        return FileAuditor.audit("compose.yaml", yaml);
    }

    private static AuditResult only(AuditReport r, String id, AuditStatus status) {
        List<AuditResult> hits = of(r, id, status);
        assertThat(hits).as("%s %s in %s", id, status, r.results()).hasSize(1);
        return hits.get(0);
    }

    @Test
    void everyInsecureSettingIsFoundWithItsLineAndColumn() throws Exception {
        AuditReport r = Fixtures.audit("insecure-compose.yaml");

        AuditResult privileged = at(r, "5.4", 11);
        assertThat(privileged.status()).isEqualTo(AuditStatus.FAIL);
        assertThat(privileged.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(privileged.location()).isEqualTo("insecure-compose.yaml:11:5");
        assertThat(privileged.evidence()).startsWith("service \"web\": privileged: true");
        assertThat(privileged.fix()).startsWith("Replace line 11 with:\nprivileged: false");

        AuditResult sock = at(r, "5.31", 16);
        assertThat(sock.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(sock.location()).isEqualTo("insecure-compose.yaml:16:9");
        assertThat(sock.fix()).contains("Remove the mount at line 16");
        AuditResult etc = at(r, "5.5", 17);
        assertThat(etc.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(etc.evidence()).contains("/etc:/host/etc:ro");
        AuditResult root = at(r, "5.5", 37);
        assertThat(root.severity()).isEqualTo(Severity.HIGH);
        assertThat(at(r, "5.19", 37).evidence()).contains("rshared");

        assertThat(at(r, "5.3", 20).severity()).isEqualTo(Severity.HIGH);
        assertThat(at(r, "5.3", 20).evidence()).contains("SYS_ADMIN");
        assertThat(at(r, "5.3", 21).evidence()).contains("NET_ADMIN");
        assertThat(at(r, "5.3", 20).fix()).contains("cap_drop:\n  - ALL");
        assertThat(at(r, "5.21", 23).fix()).contains("Remove \"seccomp:unconfined\" (line 23)");
        assertThat(at(r, "5.1", 24).evidence()).contains("apparmor=unconfined");
        assertThat(at(r, "5.25", 22).fix()).isEqualTo("Add to security_opt (line 22):\n  - no-new-privileges:true");

        assertThat(at(r, "5.7", 13).fix()).isEqualTo("Replace line 13 with:\n  - \"8080:80\"");
        assertThat(at(r, "5.13", 13).fix()).startsWith("Replace line 13 with:\n  - \"127.0.0.1:80:80\"");
        assertThat(of(r, "5.7", AuditStatus.FAIL)).hasSize(1);

        assertThat(at(r, "5.9", 28).evidence()).startsWith("service \"monitor\": network_mode: host");
        assertThat(at(r, "5.15", 29).fix()).isEqualTo("Remove pid: host (line 29)");
        assertThat(at(r, "5.16", 30).status()).isEqualTo(AuditStatus.FAIL);
        assertThat(at(r, "5.20", 31).status()).isEqualTo(AuditStatus.FAIL);
        assertThat(at(r, "5.30", 32).status()).isEqualTo(AuditStatus.FAIL);
        assertThat(at(r, "4.1", 33).fix()).isEqualTo("Replace line 33 with:\nuser: \"10001:10001\"");
        assertThat(at(r, "5.17", 35).fix()).contains("\"/dev/kmsg:/dev/kmsg:r\"");
        assertThat(at(r, "5.26", 43).status()).isEqualTo(AuditStatus.FAIL);

        // restart: the merge key brings web's "always" from the x-common anchor at line 3
        AuditResult always = at(r, "5.14", 3);
        assertThat(always.status()).isEqualTo(AuditStatus.WARN);
        assertThat(always.evidence()).startsWith("service \"web\": restart: always");
        assertThat(always.fix()).isEqualTo("Replace line 3 with:\nrestart: on-failure:5");
        assertThat(at(r, "5.14", 42).evidence()).contains("on-failure retries without limit");
        assertThat(at(r, "5.14", 55).evidence()).contains("more than 5");

        assertThat(at(r, "5.10", 53).fix()).isEqualTo("Replace line 53 with:\nmem_limit: 512m   # what the service needs");
        assertThat(at(r, "5.28", 54).evidence()).contains("pids_limit -1 means none");
        assertThat(of(r, "5.12", AuditStatus.FAIL)).hasSize(3);
        assertThat(of(r, "5.11", AuditStatus.FAIL)).hasSize(3);

        assertThat(at(r, "COMPOSE-IMAGE-DIGEST", 10).fix()).startsWith("Replace line 10 with:\nimage: nginx:latest@sha256:<digest>");
        assertThat(at(r, "COMPOSE-IMAGE-DIGEST", 47).status()).isEqualTo(AuditStatus.PASS);
        AuditResult pw = at(r, "COMPOSE-ENV-SECRET", 49);
        assertThat(pw.severity()).isEqualTo(Severity.HIGH);
        assertThat(pw.evidence()).doesNotContain("s3cr3t");
        assertThat(pw.fix()).contains("secrets:\n  postgres_password:\n    file: ./postgres_password.txt");
        assertThat(at(r, "COMPOSE-ENV-SECRET", 51).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(of(r, "COMPOSE-ENV-SECRET", AuditStatus.FAIL)).hasSize(2);

        for (AuditResult x : problems(r)) {
            if (x.status() == AuditStatus.WARN && x.checkId().equals("5.5")) continue;
            assertThat(x.fix()).as("fix of %s", x).isNotBlank();
            assertThat(x.location()).matches("insecure-compose\\.yaml:\\d+:\\d+");
        }
    }

    @Test
    void hardenedComposeFilePasses() throws Exception {
        AuditReport r = FileAuditor.audit(Fixtures.path("hardened-compose.yaml"));
        assertThat(problems(r)).isEmpty();
        assertThat(r.results()).extracting(AuditResult::checkId).contains("4.1", "5.1", "5.2", "5.3", "5.4", "5.5",
                "5.7", "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15", "5.16", "5.17", "5.19", "5.20", "5.21",
                "5.25", "5.26", "5.28", "5.30", "5.31", "COMPOSE-IMAGE-DIGEST", "COMPOSE-ENV-SECRET");
    }

    @Test
    void interpolationDefaultsDecide() throws Exception {
        AuditReport r = compose("""
                services:
                  app:
                    image: ${IMAGE:-alpine:3.20}
                    privileged: ${PRIVILEGED:-true}
                    network_mode: ${NET}
                    user: ${APP_USER}
                    environment:
                      DB_PASSWORD: ${DB_PASSWORD:?set it}
                      PRICE: $$5
                """);
        assertThat(only(r, "5.4", AuditStatus.FAIL).location()).isEqualTo("compose.yaml:4:5");
        assertThat(only(r, "5.9", AuditStatus.PASS).evidence()).contains("network_mode: ");
        assertThat(only(r, "4.1", AuditStatus.WARN).evidence()).contains("depends on a variable");
        assertThat(only(r, "COMPOSE-IMAGE-DIGEST", AuditStatus.FAIL).evidence()).contains("alpine:3.20");
        assertThat(only(r, "COMPOSE-ENV-SECRET", AuditStatus.PASS)).isNotNull();
    }

    @Test
    void longSyntaxPortsVolumesAndDeployLimits() throws Exception {
        AuditReport r = compose("""
                services:
                  app:
                    image: alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000
                    ports:
                      - target: 443
                        published: "443"
                        host_ip: 0.0.0.0
                      - "[::1]:8080:80/tcp"
                      - "9000-9010:9000-9010"
                    volumes:
                      - type: bind
                        source: /run/containerd/containerd.sock
                        target: /run/containerd/containerd.sock
                        read_only: true
                      - /sys/fs/cgroup:/sys/fs/cgroup:ro
                      - /proc/sys:/host/proc/sys
                      - data:/data
                    deploy:
                      resources:
                        limits: {cpus: "0.5", memory: 256M, pids: 100}
                      restart_policy:
                        condition: on-failure
                        max_attempts: 3
                volumes:
                  data:
                """);
        assertThat(only(r, "5.7", AuditStatus.FAIL).fix()).isEqualTo("Replace line 5 with:\n  - \"0.0.0.0:8443:443\"");
        assertThat(of(r, "5.13", AuditStatus.FAIL)).extracting(AuditResult::location)
                .containsExactly("compose.yaml:5:9", "compose.yaml:9:9");
        assertThat(only(r, "5.31", AuditStatus.FAIL).evidence()).contains(":ro does not stop API calls");
        assertThat(only(r, "5.5", AuditStatus.WARN).location()).isEqualTo("compose.yaml:15:9");
        assertThat(only(r, "5.5", AuditStatus.FAIL).fix()).isEqualTo("Replace line 16 with:\n  - /proc/sys:/host/proc/sys:ro");
        assertThat(only(r, "5.10", AuditStatus.PASS).evidence()).contains("256M");
        assertThat(only(r, "5.11", AuditStatus.PASS).evidence()).contains("0.5");
        assertThat(only(r, "5.28", AuditStatus.PASS).evidence()).contains("100");
        assertThat(only(r, "5.14", AuditStatus.PASS).evidence()).contains("at most 3 attempts");
    }

    @Test
    void buildOnlyServicesAndSecurityOptVariants() throws Exception {
        AuditReport r = compose("""
                services:
                  app:
                    build: .
                    security_opt: ["no-new-privileges=false", "label:disable"]
                    cap_drop: [all]
                    cap_add: [cap_chown, NET_RAW, SYS_PTRACE]
                    restart: unless-stopped
                    healthcheck:
                      test: NONE
                """);
        assertThat(only(r, "COMPOSE-IMAGE-DIGEST", AuditStatus.INFO).evidence()).contains("audit its Dockerfile");
        assertThat(only(r, "5.25", AuditStatus.FAIL).fix()).isEqualTo("Replace line 4 with:\n  - no-new-privileges:true");
        assertThat(only(r, "5.2", AuditStatus.FAIL).location()).isEqualTo("compose.yaml:4:47");
        assertThat(only(r, "5.3", AuditStatus.FAIL).evidence()).contains("SYS_PTRACE");
        assertThat(only(r, "5.14", AuditStatus.WARN).evidence()).contains("unless-stopped");
        assertThat(only(r, "5.26", AuditStatus.FAIL)).isNotNull();
    }

    @Test
    void notACompose() {
        assertThatThrownBy(() -> compose("version: '2'\nweb:\n  image: x\n")).isInstanceOf(AuditException.class)
                .hasMessageContaining("Compose file format 1");
        assertThatThrownBy(() -> compose("services: [a, b]\n")).hasMessageContaining("has no services: mapping");
        assertThatThrownBy(() -> compose("")).hasMessageContaining("is empty");
    }

    @Test
    void extendsIsNotedAsAWarning() throws Exception {
        AuditReport r = compose("services:\n  a:\n    image: x\n  b:\n    extends: a\n    image: y\n");
        assertThat(r.warnings()).singleElement().asString().contains("compose.yaml:5").contains("extends");
    }
}
