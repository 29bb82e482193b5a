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

class DockerfileAuditTest {

    private static AuditReport audit(String text) throws AuditException {
        return FileAuditor.audit("Dockerfile", text);
    }

    private static AuditResult only(AuditReport r, String id) {
        List<AuditResult> hits = of(r, id);
        assertThat(hits).as("%s in %s", id, r.results()).hasSize(1);
        return hits.get(0);
    }

    @Test
    void insecureDockerfile() throws Exception {
        AuditReport r = Fixtures.audit("insecure.Dockerfile");
        assertThat(r.target()).isEqualTo("insecure.Dockerfile");
        assertThat(r.tool()).isEqualTo("bulwark");

        AuditResult user = at(r, "4.1", 27);
        assertThat(user.status()).isEqualTo(AuditStatus.FAIL);
        assertThat(user.severity()).isEqualTo(Severity.HIGH);
        assertThat(user.location()).isEqualTo("insecure.Dockerfile:27");
        assertThat(user.evidence()).contains("USER root");
        assertThat(user.fix()).isEqualTo("Replace line 27 with:\nUSER 10001:10001");

        AuditResult node = at(r, "4.2", 4);
        assertThat(node.severity()).isEqualTo(Severity.LOW);
        assertThat(node.evidence()).contains("node:20 is a tag");
        assertThat(node.fix()).startsWith("Replace line 4 with:\nFROM node:20@sha256:<digest> AS build\n");
        AuditResult ubuntu = at(r, "4.2", 11);
        assertThat(ubuntu.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(ubuntu.fix()).startsWith("Replace line 11 with:\nFROM ubuntu:latest@sha256:<digest>\n")
                .contains("docker buildx imagetools inspect");

        AuditResult health = at(r, "4.6", 11);
        assertThat(health.status()).isEqualTo(AuditStatus.FAIL);
        assertThat(health.fix()).startsWith("Add before line 28 (CMD):\nHEALTHCHECK ")
                .contains("CMD curl -fsS http://127.0.0.1:8080/ || exit 1");

        AuditResult update = at(r, "4.7", 16);
        assertThat(update.fix()).isEqualTo("""
                Replace lines 16-18 (this RUN and the RUN at line 17) with one RUN:
                RUN apt-get update \\
                 && apt-get install -y curl ca-certificates \\
                    openssh-server python3-pip""");

        assertThat(at(r, "4.9", 22).fix()).isEqualTo("Replace line 22 with:\nCOPY config.json /etc/app/config.json");

        AuditResult env = at(r, "4.10", 13);
        assertThat(env.severity()).isEqualTo(Severity.HIGH);
        assertThat(env.evidence()).contains("DB_PASSWORD").doesNotContain("hunter2");
        assertThat(env.fix()).contains("RUN --mount=type=secret,id=db_password,env=DB_PASSWORD");
        assertThat(at(r, "4.10", 15).evidence()).contains("ARG GITHUB_TOKEN");
        assertThat(at(r, "4.10", 23).evidence()).contains("COPY id_rsa");

        assertThat(at(r, "DF-ADD-URL", 21).fix())
                .contains("ADD --checksum=sha256:<sha256 of the file> https://example.com/tools/agent.tar.gz /opt/agent.tar.gz");
        AuditResult pipe = at(r, "DF-CURL-PIPE-SH", 19);
        assertThat(pipe.severity()).isEqualTo(Severity.HIGH);
        assertThat(pipe.fix()).contains("curl -fsSL -o /tmp/install.sh https://deb.nodesource.com/setup_20.x")
                .contains("sha256sum -c -").contains("bash /tmp/install.sh");
        assertThat(at(r, "DF-SUDO", 20).fix()).startsWith("Replace line 20 with:\nRUN chmod 777 /opt\n");
        assertThat(at(r, "DF-CHMOD-777", 20).fix()).isEqualTo("Replace line 20 with:\nRUN sudo chmod 755 /opt");
        assertThat(at(r, "DF-APT-NO-RECOMMENDS", 17).fix()).isEqualTo("""
                Replace lines 17-18 with:
                RUN apt-get install --no-install-recommends -y curl ca-certificates \\
                    openssh-server python3-pip""");
        assertThat(at(r, "DF-APT-LISTS", 17).fix()).endsWith("python3-pip \\\n && rm -rf /var/lib/apt/lists/*");
        assertThat(at(r, "DF-PKG-PIN", 17).status()).isEqualTo(AuditStatus.WARN);
        assertThat(at(r, "DF-PKG-PIN", 17).fix()).contains("curl=<version> ca-certificates=<version>");
        assertThat(at(r, "DF-PKG-PIN", 25).evidence()).contains("requests").doesNotContain("flask");
        assertThat(at(r, "DF-SSH", 18).evidence()).contains("openssh-server");
        assertThat(at(r, "DF-SSH", 26).fix()).isEqualTo("Replace line 26 with:\nEXPOSE 8080");
        assertThat(of(r, "DF-APK-NO-CACHE")).singleElement().extracting(AuditResult::status).isEqualTo(AuditStatus.PASS);

        for (AuditResult x : problems(r)) {
            assertThat(x.fix()).as("fix of %s", x).isNotBlank();
            assertThat(x.location()).startsWith("insecure.Dockerfile:");
            assertThat(x.title()).isNotBlank();
            assertThat(x.references()).as("references of %s", x.checkId()).isNotEmpty();
        }
    }

    @Test
    void hardenedDockerfilePassesEverything() throws Exception {
        AuditReport r = FileAuditor.audit(Fixtures.path("hardened.Dockerfile"));
        assertThat(problems(r)).isEmpty();
        assertThat(r.results()).extracting(AuditResult::checkId).contains("4.1", "4.2", "4.6", "4.7", "4.9", "4.10",
                "DF-ADD-URL", "DF-CURL-PIPE-SH", "DF-SUDO", "DF-APT-NO-RECOMMENDS", "DF-APT-LISTS", "DF-APK-NO-CACHE",
                "DF-PKG-PIN", "DF-CHMOD-777", "DF-SSH");
        assertThat(r.results()).allSatisfy(x -> assertThat(x.fix()).isEmpty());
        assertThat(of(r, "4.1").get(0).location()).endsWith(":29");
        assertThat(of(r, "4.2")).hasSize(2).allSatisfy(x -> assertThat(x.status()).isEqualTo(AuditStatus.PASS));
    }

    @Test
    void onlyTheFinalStageUserCountsAndItIsInheritedFromTheStageItBuildsOn() throws Exception {
        AuditReport r = audit("FROM alpine:3.20 AS base\nUSER 1000\nFROM debian:12 AS other\nUSER root\nFROM base\nCMD x\n");
        AuditResult u = only(r, "4.1");
        assertThat(u.status()).isEqualTo(AuditStatus.PASS);
        assertThat(u.location()).isEqualTo("Dockerfile:2");

        AuditResult missing = only(audit("FROM alpine:3.20 AS b\nUSER app\nFROM alpine:3.20\nCMD [\"x\"]\n"), "4.1");
        assertThat(missing.status()).isEqualTo(AuditStatus.FAIL);
        assertThat(missing.location()).isEqualTo("Dockerfile:3");
        assertThat(missing.fix()).isEqualTo("Add before line 4 (CMD):\n"
                + "RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app\nUSER 10001:10001");

        assertThat(only(audit("FROM scratch\nCOPY app /\n"), "4.1").fix()).endsWith("USER 65534:65534");
        assertThat(only(audit("FROM gcr.io/distroless/static-debian12\nCOPY app /\n"), "4.1").fix()).endsWith("USER 65532:65532");
        assertThat(only(audit("FROM debian:12\n"), "4.1").fix()).contains("useradd --system --uid 10001");
        assertThat(only(audit("FROM debian:12\nUSER 0:0\n"), "4.1").status()).isEqualTo(AuditStatus.FAIL);
    }

    @Test
    void userAndBaseImageThroughArgAndEnv() throws Exception {
        AuditReport r = audit("ARG BASE=alpine:3.20\nFROM ${BASE}\nARG UID=0\nUSER ${UID}\n");
        assertThat(only(r, "4.1").status()).isEqualTo(AuditStatus.FAIL);
        assertThat(only(r, "4.1").evidence()).contains("(= 0)");
        assertThat(only(r, "4.2").fix()).startsWith("Replace line 1 with:\nARG BASE=alpine:3.20@sha256:<digest>");

        AuditResult unknown = only(audit("FROM alpine@sha256:" + "a".repeat(64) + "\nARG APP_USER\nUSER $APP_USER\n"), "4.1");
        assertThat(unknown.status()).isEqualTo(AuditStatus.WARN);

        AuditReport env = audit("FROM alpine\nENV U=app\nUSER $U\n");
        assertThat(only(env, "4.1").status()).isEqualTo(AuditStatus.PASS);
        assertThat(only(env, "4.1").evidence()).contains("USER app");

        AuditResult noDefault = only(audit("ARG BASE\nFROM $BASE\nUSER 1\n"), "4.2");
        assertThat(noDefault.status()).isEqualTo(AuditStatus.WARN);
    }

    @Test
    void baseImageRules() throws Exception {
        AuditReport r = audit("FROM scratch AS s\nFROM golang:1.22 AS build\nFROM build AS test\nFROM --platform=linux/amd64 alpine\nUSER 1\n");
        List<AuditResult> digest = of(r, "4.2");
        assertThat(digest).extracting(AuditResult::location).containsExactly("Dockerfile:2", "Dockerfile:4");
        assertThat(digest.get(1).evidence()).contains("alpine has no tag");
        assertThat(digest.get(1).fix()).startsWith("Replace line 4 with:\nFROM --platform=linux/amd64 alpine@sha256:<digest>\n");
        assertThat(digest.get(0).fix()).contains("FROM golang:1.22@sha256:<digest> AS build");
        assertThat(only(audit("FROM scratch\nUSER 1\n"), "4.2").status()).isEqualTo(AuditStatus.PASS);
    }

    @Test
    void healthcheck() throws Exception {
        AuditResult none = only(audit("FROM alpine\nEXPOSE 9000\nHEALTHCHECK NONE\n"), "4.6");
        assertThat(none.status()).isEqualTo(AuditStatus.WARN);
        assertThat(none.fix()).contains("CMD wget -q -O /dev/null http://127.0.0.1:9000/ || exit 1");
        AuditResult inherited = only(audit("FROM alpine AS a\nHEALTHCHECK CMD true\nFROM a\n"), "4.6");
        assertThat(inherited.status()).isEqualTo(AuditStatus.PASS);
        assertThat(inherited.location()).isEqualTo("Dockerfile:2");
    }

    @Test
    void updateFollowedByInstallInTheSameRunIsFine() throws Exception {
        assertThat(only(audit("FROM debian\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y install --no-install-recommends curl=1\n"),
                "4.7").status()).isEqualTo(AuditStatus.PASS);
        AuditReport apk = audit("FROM alpine\nRUN apk update\nRUN apk add --no-cache curl\n");
        assertThat(only(apk, "4.7").fix()).contains("apk add --no-cache");
        AuditResult alone = only(audit("FROM debian\nRUN apt-get update -q\n"), "4.7");
        assertThat(alone.fix()).contains("apt-get update && apt-get install -y --no-install-recommends");
    }

    @Test
    void apkAndAptHygieneOnlyInTheShippedStages() throws Exception {
        AuditReport r = audit("""
                FROM alpine:3.20 AS build
                RUN apk add build-base
                FROM alpine:3.20
                RUN apk add curl
                RUN --mount=type=cache,target=/var/cache/apk apk add jq
                RUN apk add git && rm -rf /var/cache/apk/*
                """);
        AuditResult noCache = only(r, "DF-APK-NO-CACHE");
        assertThat(noCache.location()).isEqualTo("Dockerfile:4");
        assertThat(noCache.fix()).isEqualTo("Replace line 4 with:\nRUN apk add --no-cache curl");
        assertThat(of(r, "DF-PKG-PIN", AuditStatus.WARN)).hasSize(4);
    }

    @Test
    void curlPipedIntoAShellInItsManyForms() throws Exception {
        for (String run : List.of("curl -sSL https://get.example.com | sh", "wget -qO- https://x.example/i.sh | sudo -E bash -",
                "sh -c \"$(curl -fsSL https://raw.example.com/install.sh)\"", "bash <(curl -s https://x.example/a.sh)",
                "curl https://x.example/a.py | tee /tmp/a | python3", "eval \"$(wget -qO- https://x.example/env)\"")) {
            AuditReport r = audit("FROM debian\nRUN " + run + "\n");
            assertThat(of(r, "DF-CURL-PIPE-SH", AuditStatus.FAIL)).as(run).hasSize(1);
        }
        AuditReport safe = audit("FROM debian\nRUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sha256sum -c sums && sh /tmp/i.sh\n");
        assertThat(only(safe, "DF-CURL-PIPE-SH").status()).isEqualTo(AuditStatus.PASS);
        AuditReport heredoc = audit("FROM debian\nRUN <<EOF\nset -e\ncurl -fsSL https://x.example/i.sh | bash\nEOF\n");
        assertThat(only(heredoc, "DF-CURL-PIPE-SH").location()).isEqualTo("Dockerfile:4");
    }

    @Test
    void addRules() throws Exception {
        AuditReport r = audit("""
                FROM alpine
                ADD rootfs.tar.gz /
                ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.bin /a.bin
                ADD https://github.com/moby/buildkit.git#v0.14.1 /src
                add --chown=1:1 --keep-git-dir=true app.py /app/
                """);
        assertThat(only(r, "DF-ADD-URL").status()).isEqualTo(AuditStatus.PASS);
        AuditResult copy = only(r, "4.9");
        assertThat(copy.location()).isEqualTo("Dockerfile:5");
        assertThat(copy.fix()).isEqualTo("Replace line 5 with:\ncopy --chown=1:1 app.py /app/");
    }

    @Test
    void secretsByNameByValueAndByFile() throws Exception {
        AuditReport r = audit("""
                FROM alpine
                ENV PASSWORD_FILE=/run/secrets/pw GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D MYSQL_RANDOM_ROOT_PASSWORD=yes
                ENV PWD=/app AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
                ENV apiKey secret value with blanks
                ARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789
                ENV TOKEN=$NPM_TOKEN
                RUN echo "//registry.npmjs.org/:_authToken=abcdef0123456789abcdef" > ~/.npmrc
                COPY .env.example .env ./
                COPY --chmod=777 id_ed25519.pub /root/.ssh/
                USER 1
                """);
        List<AuditResult> secrets = of(r, "4.10", AuditStatus.FAIL);
        assertThat(secrets).extracting(AuditResult::location).containsExactly("Dockerfile:3", "Dockerfile:4",
                "Dockerfile:5", "Dockerfile:6", "Dockerfile:7", "Dockerfile:8");
        assertThat(secrets.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(secrets.get(0).evidence()).contains("AWS access key").doesNotContain("AKIAIOSFODNN7EXAMPLE");
        assertThat(secrets.get(1).evidence()).contains("apiKey").contains("literal value");
        assertThat(secrets.get(2).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(secrets.get(3).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(secrets.get(4).evidence()).contains("npm auth token").doesNotContain("abcdef0123456789");
        assertThat(secrets.get(5).evidence()).contains("COPY .env");
        assertThat(secrets).allSatisfy(x -> assertThat(x.fix()).contains("--mount=type=secret"));
        assertThat(only(r, "DF-CHMOD-777").fix()).isEqualTo("Replace line 9 with:\nCOPY --chmod=755 id_ed25519.pub /root/.ssh/");
    }

    @Test
    void worldWritableModes() {
        assertThat(DockerfileChecks.saferMode("777")).isEqualTo("755");
        assertThat(DockerfileChecks.saferMode("0666")).isEqualTo("0644");
        assertThat(DockerfileChecks.saferMode("1777")).isNull();
        assertThat(DockerfileChecks.saferMode("755")).isNull();
        assertThat(DockerfileChecks.saferMode("o+w")).isEqualTo("");
        assertThat(DockerfileChecks.saferMode("a+rwx")).isEqualTo("u+rwx,go+rx");
        assertThat(DockerfileChecks.saferMode("go+w")).isEqualTo("g+w");
        assertThat(DockerfileChecks.saferMode("u+x,o=rwx")).isEqualTo("u+x,o=rx");
        assertThat(DockerfileChecks.saferMode("-R")).isNull();
    }

    @Test
    void chmodRecursiveAndSymbolic() throws Exception {
        AuditReport r = audit("FROM alpine\nRUN mkdir /data && chmod -R a+rwx /data && chmod 1777 /tmp\nUSER 1\n");
        AuditResult c = only(r, "DF-CHMOD-777");
        assertThat(c.fix()).isEqualTo("Replace line 2 with:\nRUN mkdir /data && chmod -R u+rwx,go+rx /data && chmod 1777 /tmp");
    }

    @Test
    void sudoAndSshServer() throws Exception {
        AuditReport r = audit("FROM ubuntu:24.04\nRUN sudo -u app make && apk add --no-cache dropbear=2024.85-r0\nEXPOSE 22/tcp\n");
        assertThat(only(r, "DF-SUDO").fix()).startsWith("Replace line 2 with:\nRUN make && apk add");
        assertThat(of(r, "DF-SSH")).hasSize(2);
        assertThat(at(r, "DF-SSH", 3).fix()).startsWith("Remove line 3 (EXPOSE 22)");
    }

    @Test
    void execFormRunIsCheckedToo() throws Exception {
        AuditReport r = audit("FROM debian\nRUN [\"sh\", \"-c\", \"curl -s https://x.example/i | sh\"]\n");
        assertThat(only(r, "DF-CURL-PIPE-SH").status()).isEqualTo(AuditStatus.FAIL);
    }

    @Test
    void resultsComeInCheckOrderThenLine() throws Exception {
        AuditReport r = Fixtures.audit("insecure.Dockerfile");
        List<String> ids = r.results().stream().map(AuditResult::checkId).distinct().toList();
        assertThat(ids).startsWith("4.1", "4.2", "4.6", "4.7", "4.9", "4.10", "DF-ADD-URL");
    }
}
