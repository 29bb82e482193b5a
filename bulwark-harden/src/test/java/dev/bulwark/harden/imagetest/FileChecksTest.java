package dev.bulwark.harden.imagetest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.EntryType;
import dev.bulwark.image.LayerEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** File checks on a hand-made final filesystem: what each check compares, and what a failure says. */
class FileChecksTest {
    static FileTree.Entry dir(String p) {
        return new FileTree.Entry(new LayerEntry(p, EntryType.DIRECTORY, 0, 0755, null, 0, 0), null, false);
    }

    static FileTree.Entry file(String p, int mode, long uid, String content) {
        return file(p, mode, uid, uid, content);
    }

    static FileTree.Entry file(String p, int mode, long uid, long gid, String content) {
        byte[] b = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
        return new FileTree.Entry(new LayerEntry(p, EntryType.FILE, b == null ? 10 : b.length, mode, null, uid, gid), b, false);
    }

    static FileTree.Entry link(String p, String target) {
        return new FileTree.Entry(new LayerEntry(p, EntryType.SYMLINK, 0, 0777, target, 0, 0), null, false);
    }

    static final FileTree TREE = FileTree.of(List.of(
            dir("/etc"), file("/etc/passwd", 0644, 0, "root:x:0:0::/root:/bin/sh\napp:x:10001:10002::/srv/app:/usr/sbin/nologin\n"),
            file("/etc/group", 0644, 0, "root:x:0:\napp:x:10002:\n"),
            link("/bin", "usr/bin"), dir("/usr"), dir("/usr/bin"), file("/usr/bin/su", 04755, 0, null), file("/usr/bin/dash", 0755, 0, null),
            link("/usr/bin/sh", "dash"),
            dir("/srv"), dir("/srv/app"), file("/srv/app/run.sh", 0750, 10001, 10002, "#!/bin/sh\nexec app --port 8080\n"),
            link("/srv/app/current", "releases/1"), dir("/srv/app/releases"), dir("/srv/app/releases/1"),
            file("/srv/app/releases/1/VERSION", 0644, 10001, "1.0\n"), link("/loop", "/loop")));

    static TestResult check(Spec.FileTest t) {
        return FileChecks.check(t, TREE, "s.yaml:" + t.line());
    }

    static Spec.FileTest test(String path) {
        return new Spec.FileTest("t", 7, path, true, null, null, null, null, List.of(), List.of(), null, false);
    }

    @Test
    void aMatchingFilePasses() {
        Spec.FileTest t = new Spec.FileTest("run.sh", 3, "/srv/app/run.sh", true, Spec.FileType.FILE, 0750, "app:app", 31L,
                List.of(java.util.regex.Pattern.compile("^exec app", java.util.regex.Pattern.MULTILINE)), List.of(), null, false);
        TestResult r = check(t);
        assertThat(r.status()).as(r.summary()).isEqualTo(TestResult.Status.PASS);
        assertThat(r.location()).isEqualTo("s.yaml:3");
    }

    @Test
    void eachMismatchSaysExpectedAndFound() {
        Spec.FileTest t = new Spec.FileTest("run.sh", 3, "/srv/app/run.sh", true, Spec.FileType.DIRECTORY, 0755, "root", 5L,
                List.of(java.util.regex.Pattern.compile("--port 9090")), List.of(java.util.regex.Pattern.compile("exec")), null, false);
        TestResult r = check(t);
        assertThat(r.status()).isEqualTo(TestResult.Status.FAIL);
        assertThat(r.mismatches()).extracting(TestResult.Mismatch::toString).containsExactly(
                "type: expected directory, found file",
                "mode: expected 0755, found 0750",
                "owner: expected root (uid 0), found 10001:10002",
                "size: expected 5 bytes, found 31 bytes",
                "contains: expected content matching /--port 9090/, found '#!/bin/sh\\nexec app --port 8080\\n'",
                "notContains: expected no match of /exec/, found ''exec'' on line 2");
    }

    @Test
    void ownersByNameComeFromTheImagesOwnDatabases() {
        Spec.FileTest wrongGroup = new Spec.FileTest("g", 1, "/srv/app/run.sh", true, null, null, "app:root", null, List.of(), List.of(), null, false);
        assertThat(check(wrongGroup).summary()).isEqualTo("owner: expected app:root (gid 0), found 10001:10002");
        Spec.FileTest nobody = new Spec.FileTest("n", 1, "/srv/app/run.sh", true, null, null, "daemon", null, List.of(), List.of(), null, false);
        assertThat(check(nobody).summary()).contains("no user daemon in the image's /etc/passwd");
    }

    @Test
    void linksResolveInsideTheImage() {
        assertThat(check(test("/bin/dash")).status()).as("through /bin -> usr/bin").isEqualTo(TestResult.Status.PASS);
        Spec.FileTest sh = new Spec.FileTest("sh", 1, "/bin/sh", true, Spec.FileType.SYMLINK, null, null, null, List.of(), List.of(), "dash", false);
        assertThat(check(sh).status()).as(check(sh).summary()).isEqualTo(TestResult.Status.PASS);
        Spec.FileTest wrong = new Spec.FileTest("cur", 1, "/srv/app/current", true, null, null, null, null, List.of(), List.of(), "releases/2", false);
        assertThat(check(wrong).summary()).isEqualTo("linkTarget: expected releases/2, found releases/1");
        Spec.FileTest through = new Spec.FileTest("v", 1, "/srv/app/current/VERSION", true, Spec.FileType.FILE, null, null, null,
                List.of(java.util.regex.Pattern.compile("^1\\.0$", java.util.regex.Pattern.MULTILINE)), List.of(), null, false);
        assertThat(check(through).status()).isEqualTo(TestResult.Status.PASS);
        assertThat(check(test("/loop/x")).summary()).isEqualTo("exists: expected /loop/x, found nothing there");
        Spec.FileTest loopType = new Spec.FileTest("l", 1, "/loop", true, Spec.FileType.FILE, null, null, null, List.of(), List.of(), null, false);
        assertThat(check(loopType).summary()).contains("leads nowhere inside the image");
    }

    @Test
    void absenceAndSetuid() {
        Spec.FileTest absent = new Spec.FileTest("a", 1, "/bin/su", false, null, null, null, null, List.of(), List.of(), null, false);
        assertThat(check(absent).summary()).isEqualTo("exists: expected no /bin/su, found file /bin/su");
        Spec.FileTest gone = new Spec.FileTest("a", 1, "/usr/bin/sudo", false, null, null, null, null, List.of(), List.of(), null, false);
        assertThat(check(gone).status()).isEqualTo(TestResult.Status.PASS);
        Spec.FileTest setuid = new Spec.FileTest("s", 1, "/", true, null, null, null, null, List.of(), List.of(), null, true);
        assertThat(check(setuid).summary()).isEqualTo("noSetuid: expected no setuid or setgid file under /, found /usr/bin/su (4755)");
        Spec.FileTest srv = new Spec.FileTest("s", 1, "/srv", true, null, null, null, null, List.of(), List.of(), null, true);
        assertThat(check(srv).status()).isEqualTo(TestResult.Status.PASS);
    }

    @Test
    void contentOfAFileNotReadIsNotGuessed() {
        Spec.FileTest t = new Spec.FileTest("c", 1, "/usr/bin/dash", true, null, null, null, null,
                List.of(java.util.regex.Pattern.compile("ELF")), List.of(), null, false);
        assertThat(check(t).status()).isEqualTo(TestResult.Status.FAIL);
    }

    @Test
    void licenceExpressionsSplitIntoIds() {
        assertThat(ImageTester.licenceIds("(MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0) AND AGPL-3.0-only"))
                .containsExactly("MIT", "GPL-2.0-or-later", "AGPL-3.0-only");
        assertThat(ImageTester.glob("AGPL-*").matcher("agpl-3.0-only").matches()).isTrue();
        assertThat(ImageTester.glob("GPL-*").matcher("LGPL-2.1-only").matches()).isFalse();
        assertThat(ImageTester.glob("GPL-2.0+").matcher("GPL-2.0+").matches()).isTrue();
    }
}
