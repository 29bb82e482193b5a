package dev.bulwark.scan.lang.python;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Metadata files copied from real installed distributions (Debian's python3 packages, a PyPI wheel). */
class PythonAnalyzerTest {
    private final PythonAnalyzer python = new PythonAnalyzer();

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = PythonAnalyzerTest.class.getResourceAsStream("/lang/python/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PyYAML-6.0.METADATA | /usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA | PyYAML | 6.0 | pkg:pypi/pyyaml@6.0 | MIT",
            "cryptography-38.0.4.METADATA | /usr/lib/python3/dist-packages/cryptography-38.0.4.dist-info/METADATA | cryptography | 38.0.4 | pkg:pypi/cryptography@38.0.4 | BSD-3-Clause OR Apache-2.0",
            "crit-3.17.1-py3.11.egg-info | /usr/lib/python3/dist-packages/crit-3.17.1-py3.11.egg-info | crit | 3.17.1 | pkg:pypi/crit@3.17.1 | GPL-2.0-only",
            "dbus_python-1.3.2.PKG-INFO | /usr/lib/python3/dist-packages/dbus_python-1.3.2.egg-info/PKG-INFO | dbus-python | 1.3.2 | pkg:pypi/dbus-python@1.3.2 | MIT",
            "lazr.uri-1.0.6.PKG-INFO | /usr/lib/python3/dist-packages/lazr.uri-1.0.6.egg-info/PKG-INFO | lazr.uri | 1.0.6 | pkg:pypi/lazr-uri@1.0.6 | LGPL-3.0-only",
            "setuptools-66.1.1.PKG-INFO | /usr/lib/python3/dist-packages/setuptools-66.1.1.egg-info/PKG-INFO | setuptools | 66.1.1 | pkg:pypi/setuptools@66.1.1 | MIT",
            "pyparsing-3.0.9.METADATA | /usr/lib/python3/dist-packages/pyparsing-3.0.9.dist-info/METADATA | pyparsing | 3.0.9 | pkg:pypi/pyparsing@3.0.9 | MIT",
            // a licence text in License, continued over a thousand lines: the classifier names it
            "scipy-1.17.1.METADATA | /usr/local/lib/python3.11/site-packages/scipy-1.17.1.dist-info/METADATA | scipy | 1.17.1 | pkg:pypi/scipy@1.17.1 | BSD-3-Clause"})
    void realMetadata(String fixture, String path, String name, String version, String purl, String licence) throws Exception {
        assertThat(python.required(path, 5000, 0644)).isTrue();
        FileResult r = python.analyze(TestFiles.of(path, fixture(fixture), 0644));
        assertThat(r.warnings()).isEmpty();
        Package p = r.packages().get(0);
        assertThat(p.name()).isEqualTo(name);
        assertThat(p.version()).isEqualTo(version);
        assertThat(p.purl()).isEqualTo(purl);
        assertThat(p.licenses()).containsExactly(licence);
        assertThat(p.paths()).containsExactly(path);
    }

    @Test
    void headersStopAtTheFirstEmptyLineAndLicenseExpressionWins() throws Exception {
        Package p = python.analyze(TestFiles.text("/x/Foo_Bar-1.0.dist-info/METADATA", """
                Metadata-Version: 2.4
                Name: Foo_Bar.baz
                Version: 1.0
                License: MIT
                License-Expression: Apache-2.0 OR MIT
                Classifier: License :: OSI Approved :: BSD License

                Name: not-a-header
                """)).packages().get(0);
        assertThat(p.name()).isEqualTo("Foo_Bar.baz");
        assertThat(p.purl()).isEqualTo("pkg:pypi/foo-bar-baz@1.0");
        assertThat(p.licenses()).containsExactly("Apache-2.0 OR MIT");
    }

    @Test
    void whichFilesAreRead() {
        assertThat(python.required("/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", 100, 0644)).isTrue();
        assertThat(python.required("/opt/x.egg/EGG-INFO/PKG-INFO", 100, 0644)).isTrue();
        assertThat(python.required("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD", 100, 0644)).isFalse();
        assertThat(python.required("/usr/lib/python3/dist-packages/six.py", 100, 0644)).isFalse();
    }

    @Test
    void withoutNameOrVersionAWarning() throws Exception {
        assertThat(python.analyze(TestFiles.text("/x/a.dist-info/METADATA", "Metadata-Version: 2.1\nName: a\n")).warnings()).hasSize(1);
    }

    @Property(tries = 300)
    void garbageNeverThrows(@ForAll @Size(max = 3000) byte[] data) throws Exception {
        python.analyze(TestFiles.of("/p/x.dist-info/METADATA", data, 0644));
    }

    @Property(tries = 300)
    void headerLikeGarbageNeverThrows(@ForAll @Size(max = 300) String text) throws Exception {
        python.analyze(TestFiles.text("/p/x.dist-info/METADATA", "Name: x\nVersion: 1\nLicense: " + text + "\nClassifier: License :: " + text));
    }
}
