package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's choice of JDK, read from a JDK's release file (BULWARK_DRY_RUN prints the java command line). */
class LauncherTest {
    @TempDir
    Path tmp;

    /** A JDK whose release file says {@code version} and whose java only prints its arguments (no JVM starts). */
    Path fakeJdk(String name, String version) throws Exception {
        Path home = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\necho \"fake java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.getParent().resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
        return home.getParent();
    }

    List<String> dryRun(Path javaHome) throws Exception {
        Path jar = Files.writeString(tmp.resolve("bulwark.jar"), "not a jar");
        ProcessBuilder pb = new ProcessBuilder("bash", TestComponents.root().resolve("bulwark").toString(), "--version")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("BULWARK_JAR", jar.toString());
        pb.environment().put("BULWARK_DRY_RUN", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void aJdkOf21OrNewerInJavaHomeIsTaken() throws Exception {
        Path jdk = fakeJdk("jdk21", "21.0.2");
        List<String> cmd = dryRun(jdk);
        assertThat(cmd.get(0)).isEqualTo(jdk.resolve("bin/java").toString());
        assertThat(cmd).contains("-jar", "--version");
    }

    @Test
    void anOlderJdkInJavaHomeIsPassedOver() throws Exception {
        for (String old : List.of("1.8.0_402", "17.0.13")) {
            Path jdk = fakeJdk("jdk-" + old, old);
            assertThat(dryRun(jdk).get(0)).as(old).isNotEqualTo(jdk.resolve("bin/java").toString()).endsWith("/bin/java");
        }
    }

    @Test
    void aSymlinkedJavaIsResolvedToItsJdk() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.3");
        Path bin = Files.createDirectories(tmp.resolve("alt/bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin/java"));
        // JAVA_HOME/bin/java is the link; its own directory has no release file, the JDK's has
        assertThat(dryRun(bin.getParent()).get(0)).isEqualTo(bin.resolve("java").toString());
    }
}
