package dev.bulwark.audit.host;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MountsTest {
    // the shape of this machine's /proc/self/mountinfo while scripts/dockerd.sh's daemon runs: dockerd bind-mounts
    // its data-root onto itself (same device 254:0, subtree = the path)
    static final String MOUNTINFO = """
        22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw
        61 22 254:0 /work/main/.bulwark-work/dockerd/data /work/main/.bulwark-work/dockerd/data rw,relatime - ext4 /dev/vda rw
        70 22 254:16 / /var/lib/docker rw,relatime shared:30 - ext4 /dev/vdb1 rw
        71 22 0:50 / /mnt/with\\040space rw - tmpfs tmpfs rw
        """;

    @Test
    void aSelfBindMountIsNotAPartition() {
        Mounts m = Mounts.fromMountinfo(MOUNTINFO);
        Mounts.Mount data = m.at("/work/main/.bulwark-work/dockerd/data").orElseThrow();
        assertThat(data.bindOfSameDevice(m)).isTrue();
        Mounts.Mount lib = m.at("/var/lib/docker/").orElseThrow();
        assertThat(lib.bindOfSameDevice(m)).isFalse();
        assertThat(lib.source()).isEqualTo("/dev/vdb1");
        assertThat(m.at("/mnt/with space")).isPresent();
        assertThat(m.at("/work/main")).isEmpty();
        assertThat(m.containing("/work/main/x").orElseThrow().point()).isEqualTo("/");
        assertThat(m.containing("/var/lib/docker/overlay2").orElseThrow().point()).isEqualTo("/var/lib/docker");
    }

    @Test
    void procMountsFallback() {
        Mounts m = Mounts.fromProcMounts("/dev/vda / ext4 rw 0 0\n/dev/vdb1 /var/lib/docker ext4 rw 0 0\n");
        assertThat(m.at("/var/lib/docker")).isPresent();
        assertThat(m.at("/var/lib")).isEmpty();
    }
}
