package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Finding;
import dev.bulwark.model.ScanReport;
import dev.bulwark.report.Reports;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Go program built by the real Go toolchain with golang.org/x/text v0.3.6 is reported as GO-2021-0113 (fixed in
 * 0.3.7), matched against the real Go vulnerability database. The module comes from a file-system module proxy
 * (GOPROXY=file://) holding a small stand-in of golang.org/x/text at v0.3.6, since no module proxy is reachable:
 * what the scanner reads is the build information the toolchain writes into the binary, which names the module
 * and version exactly as a real build does.
 */
class GoBinaryVulnIT {
    @TempDir
    Path tmp;

    @Test
    void goBinaryWithXTextV036IsReportedAsGo20210113() throws Exception {
        Path go = TestComponents.requireTool("go");
        Path vulndata = TestComponents.require(TestComponents.root().resolve("../shared/vulndata/golang-vulndb").normalize(),
                "real Go vulnerability database (shared/vulndata)");

        Path proxy = tmp.resolve("proxy/golang.org/x/text/@v");
        Files.createDirectories(proxy);
        Files.writeString(proxy.resolve("list"), "v0.3.6\n");
        Files.writeString(proxy.resolve("v0.3.6.info"), "{\"Version\":\"v0.3.6\",\"Time\":\"2021-04-07T00:00:00Z\"}\n");
        String mod = "module golang.org/x/text\n\ngo 1.11\n";
        Files.writeString(proxy.resolve("v0.3.6.mod"), mod);
        try (OutputStream o = Files.newOutputStream(proxy.resolve("v0.3.6.zip")); ZipOutputStream z = new ZipOutputStream(o)) {
            entry(z, "golang.org/x/text@v0.3.6/go.mod", mod);
            entry(z, "golang.org/x/text@v0.3.6/language/language.go",
                    "package language\n\n// Und is the undetermined language tag.\nfunc Und() string { return \"und\" }\n");
        }
        Path app = tmp.resolve("app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n\nrequire golang.org/x/text v0.3.6\n");
        Files.writeString(app.resolve("main.go"), """
                package main

                import (
                	"fmt"

                	"golang.org/x/text/language"
                )

                func main() { fmt.Println(language.Und()) }
                """);
        Path binary = tmp.resolve("root/usr/local/bin/app");
        Files.createDirectories(binary.getParent());
        ProcessBuilder pb = new ProcessBuilder(go.toString(), "build", "-o", binary.toString(), ".").directory(app.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("go-build.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("GOPROXY", "file://" + tmp.resolve("proxy"));
        env.put("GOSUMDB", "off");
        env.put("GOFLAGS", "-mod=mod");
        env.put("GOTOOLCHAIN", "local");
        env.put("CGO_ENABLED", "0");
        env.put("GOPATH", tmp.resolve("gopath").toString());
        env.put("GOCACHE", tmp.resolve("gocache").toString());
        env.put("HOME", tmp.toString());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("go-build.log"))).isZero();

        String db = tmp.resolve("db").toString();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"db", "import", "-q", "--db", db, vulndata.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        Path out = tmp.resolve("scan.json");
        code = Main.run(new String[]{"scan", "-q", "--no-cache", "--db", db, "-f", "json", "-o", out.toString(), "rootfs:" + tmp.resolve("root")},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        ScanReport report;
        try (InputStream in = Files.newInputStream(out)) {
            report = Reports.readScanReportJson(in);
        }
        Finding f = report.findings().stream().filter(x -> x.isKnownAs("GO-2021-0113")).findFirst().orElseThrow();
        assertThat(f.pkg().name()).isEqualTo("golang.org/x/text");
        assertThat(f.pkg().version()).isEqualTo("v0.3.6");
        assertThat(f.pkg().paths()).contains("/usr/local/bin/app");
        assertThat(f.fixedVersions()).containsExactly("0.3.7");
        // the same program's other module has no advisory: only x/text and the standard library are reported
        assertThat(report.findings()).allMatch(x -> x.pkg().name().equals("golang.org/x/text") || x.pkg().name().equals("stdlib"));
    }

    private static void entry(ZipOutputStream z, String name, String content) throws java.io.IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }
}
