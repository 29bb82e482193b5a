package dev.bulwark.audit.file;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The small readers the checks stand on: variable expansion, the shell reader, secret recognition, host paths. */
class LexicalTest {

    @Test
    void dockerfileExpansion() {
        Map<String, String> env = Map.of("A", "x", "E", "");
        assertThat(Vars.dockerfile("${A}-$A-${B:-d}-${E:-e}-${E-f}-${A:+p}-${B:+q}", env, '\\'))
                .isEqualTo(new Vars.Expanded("x-x-d-e--p-", true));
        assertThat(Vars.dockerfile("'$A' \"$A\" \\$A", env, '\\').value()).isEqualTo("$A x $A");
        assertThat(Vars.dockerfile("$NOPE", env, '\\')).isEqualTo(new Vars.Expanded("", false));
        assertThat(Vars.dockerfile("${A%.x}", env, '\\').complete()).isFalse();
        assertThat(Vars.dockerfile("${B:-${C:-${A}}}", env, '\\').value()).isEqualTo("x");
    }

    @Test
    void composeInterpolation() {
        assertThat(Vars.compose("${PRIV:-true}")).isEqualTo(new Vars.Expanded("true", true));
        assertThat(Vars.compose("$$HOME")).isEqualTo(new Vars.Expanded("$HOME", true));
        assertThat(Vars.compose("${X:?required}").complete()).isFalse();
        assertThat(Vars.compose("${X}").complete()).isFalse();
        assertThat(Vars.compose("plain")).isEqualTo(new Vars.Expanded("plain", true));
    }

    @Test
    void shellReader() {
        List<Shell.Pipeline> p = Shell.parse("DEBIAN_FRONTEND=noninteractive sudo -u root apt-get install -y \"a b\" 'c' 2>&1 >/dev/null"
                + " && curl -s $(echo https://x) | sh -; echo '#not a comment' # a comment\nls");
        assertThat(p).hasSize(4);
        Shell.Invocation apt = Shell.invocation(p.get(0).commands().get(0));
        assertThat(apt.name()).isEqualTo("apt-get");
        assertThat(apt.sudo()).isNotNull();
        assertThat(apt.argTexts()).containsExactly("install", "-y", "a b", "c");
        assertThat(p.get(1).commands()).hasSize(2);
        assertThat(Shell.invocation(p.get(1).commands().get(0)).argTexts()).containsExactly("-s", "$(echo https://x)");
        assertThat(Shell.invocation(p.get(2).commands().get(0)).argTexts()).containsExactly("#not a comment");
        assertThat(Shell.invocation(p.get(3).commands().get(0)).name()).isEqualTo("ls");
        assertThat(Shell.invocations(Shell.parse("if apt-get update; then env -i X=1 /usr/bin/nice -n 5 pip3 install x; fi")))
                .extracting(Shell.Invocation::name).containsExactly("apt-get", "pip3");
    }

    @Test
    void secretNames() {
        assertThat(List.of("DB_PASSWORD", "apiKey", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "SSH_PRIVATE_KEY",
                "client-secret", "MYSQL_ROOT_PASSWORD", "SECRET_KEY_BASE", "db.pass"))
                .allSatisfy(n -> assertThat(Secrets.isSecretName(n)).as(n).isTrue());
        assertThat(List.of("PASSWORD_FILE", "GPG_KEY", "PWD", "AWS_ACCESS_KEY_ID", "TOKEN_URL", "MYSQL_RANDOM_ROOT_PASSWORD",
                "PUBLIC_KEY", "KEYCLOAK_URL", "BYPASS", "PATH", "SECRET_NAME"))
                .allSatisfy(n -> assertThat(Secrets.isSecretName(n)).as(n).isFalse());
    }

    @Test
    void secretShapes() {
        assertThat(Secrets.find("x AKIAIOSFODNN7EXAMPLE y")).extracting(Secrets.Match::kind).containsExactly("an AWS access key id");
        assertThat(Secrets.find("ghp_" + "a".repeat(36))).hasSize(1);
        assertThat(Secrets.find("-----BEGIN OPENSSH PRIVATE KEY-----")).hasSize(1);
        assertThat(Secrets.find("postgres://u:p4ss@db:5432/x")).hasSize(1);
        assertThat(Secrets.find("postgres://u:${PW}@db/x")).isEmpty();
        assertThat(Secrets.find("https://example.com/a:b@c")).isEmpty();
        assertThat(Secrets.redact("hunter2")).isEqualTo("(7 characters, not shown)");
    }

    @Test
    void hostPaths() {
        assertThat(HostPaths.classify("/var/run/docker.sock", true)).isEqualTo(HostPaths.Kind.RUNTIME_SOCKET);
        assertThat(HostPaths.classify("/run", false)).isEqualTo(HostPaths.Kind.RUNTIME_SOCKET);
        assertThat(HostPaths.classify("//etc/", false)).isEqualTo(HostPaths.Kind.SENSITIVE_DIR);
        assertThat(HostPaths.classify("/usr/../etc", false)).isEqualTo(HostPaths.Kind.SENSITIVE_DIR);
        assertThat(HostPaths.classify("/etc/localtime", true)).isEqualTo(HostPaths.Kind.HARMLESS);
        assertThat(HostPaths.classify("/etc/localtime", false)).isEqualTo(HostPaths.Kind.UNDER_SENSITIVE);
        assertThat(HostPaths.classify("/srv/data", false)).isEqualTo(HostPaths.Kind.OTHER);
        assertThat(HostPaths.classify("/", false)).isEqualTo(HostPaths.Kind.SENSITIVE_DIR);
    }
}
