package dev.bulwark.audit.host;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonArgsTest {

    @Test
    void theCommandLineOfScriptsDockerdSh() {
        // exactly what /proc/<pid>/cmdline holds for scripts/dockerd.sh's daemon
        DaemonArgs a = DaemonArgs.parse(List.of("dockerd", "--config-file", "/w/daemon.json", "--data-root", "/w/data",
            "--exec-root", "/w/run", "--pidfile", "/w/dockerd.pid", "-H", "unix:///w/docker.sock", "--iptables=false",
            "--ip-masq=false", "--ip-forward=false", "--bridge=none", "--userland-proxy=false"));
        assertThat(a.last("config-file")).contains("/w/daemon.json");
        assertThat(a.all("host")).containsExactly("unix:///w/docker.sock");
        assertThat(a.bool("iptables")).contains(false);
        assertThat(a.bool("userland-proxy")).contains(false);
        assertThat(a.last("bridge")).contains("none");
        assertThat(a.bool("icc")).isEmpty();
    }

    @Test
    void shortAndLongSpellingsRepeatedFlagsAndBareBooleans() {
        DaemonArgs a = DaemonArgs.parse(List.of("/usr/bin/dockerd", "-H", "fd://", "--host=tcp://0.0.0.0:2375",
            "-Hunix:///x.sock", "-l", "debug", "--live-restore", "--icc", "-D", "--insecure-registry", "r1:5000",
            "--insecure-registry=r2:5000", "--default-ulimit", "nofile=100:200", "--tlsverify",
            "--containerd=/run/containerd/containerd.sock", "-G", "dockerusers"));
        assertThat(a.all("host")).containsExactly("fd://", "tcp://0.0.0.0:2375", "unix:///x.sock");
        assertThat(a.last("log-level")).contains("debug");
        assertThat(a.bool("live-restore")).contains(true);
        // a boolean never swallows the next flag, and "--icc" alone means true
        assertThat(a.bool("icc")).contains(true);
        assertThat(a.bool("debug")).contains(true);
        assertThat(a.all("insecure-registry")).containsExactly("r1:5000", "r2:5000");
        assertThat(a.all("default-ulimit")).containsExactly("nofile=100:200");
        assertThat(a.bool("tlsverify")).contains(true);
        assertThat(a.last("containerd")).contains("/run/containerd/containerd.sock");
        assertThat(a.last("group")).contains("dockerusers");
    }

    @Test
    void theLastOfARepeatedFlagWinsAndQuotesAreRemoved() {
        DaemonArgs a = DaemonArgs.parse(List.of("dockerd", "--log-level=warn", "--log-level='info'", "--icc=0"));
        assertThat(a.last("log-level")).contains("info");
        assertThat(a.bool("icc")).contains(false);
    }

    @Test
    void oldDockerDaemonSpellingAndNoArgv0() {
        assertThat(DaemonArgs.parse(List.of("docker", "daemon", "--icc=false")).bool("icc")).contains(false);
        assertThat(DaemonArgs.parse(List.of("--userns-remap", "default")).last("userns-remap")).contains("default");
        assertThat(DaemonProcess.isDockerd(List.of("/usr/sbin/dockerd"))).isTrue();
        assertThat(DaemonProcess.isDockerd(List.of("docker", "daemon"))).isTrue();
        assertThat(DaemonProcess.isDockerd(List.of("docker", "ps"))).isFalse();
        assertThat(DaemonProcess.isDockerd(List.of("containerd", "--config", "x"))).isFalse();
        assertThat(DaemonProcess.local("unix:///var/run/docker.sock")).isTrue();
        assertThat(DaemonProcess.local("tcp://127.0.0.1:2375")).isTrue();
        assertThat(DaemonProcess.local("tcp://10.0.0.5:2376")).isFalse();
    }
}
