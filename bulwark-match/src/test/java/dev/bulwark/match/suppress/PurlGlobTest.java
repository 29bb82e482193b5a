package dev.bulwark.match.suppress;

import dev.bulwark.model.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Package URLs, path globs and image identity: the matching primitives. */
class PurlGlobTest {
    @Test
    void parsesAndDecodes() {
        Purl p = Purl.parse("pkg:deb/debian/login@1%3A4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12");
        assertThat(p.type()).isEqualTo("deb");
        assertThat(p.namespace()).isEqualTo("debian");
        assertThat(p.name()).isEqualTo("login");
        assertThat(p.version()).isEqualTo("1:4.13+dfsg1-1+b1");
        assertThat(p.qualifiers()).containsEntry("arch", "amd64").containsEntry("distro", "debian-12");
        Purl go = Purl.parse("pkg:golang/golang.org/x/text@v0.3.6#language");
        assertThat(go.namespace()).isEqualTo("golang.org/x");
        assertThat(go.name()).isEqualTo("text");
        assertThat(Purl.parse("PKG://NPM/%40babel/core@7.24.0")).isEqualTo(Purl.parse("pkg:npm/@babel/core@7.24.0"));
        assertThat(Purl.parse("pkg:npm/@babel/core").version()).isEmpty();
        assertThat(Purl.parse("pkg:npm/@babel/core").namespace()).isEqualTo("@babel");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pkg:deb/debian/libssl3                       | pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64 | true",
            "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=arm64 | pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64 | true",
            "pkg:deb/debian/libssl3@3.0.9-1               | pkg:deb/debian/libssl3@3.0.11-1~deb12u2 | false",
            "pkg:deb/debian/libssl                        | pkg:deb/debian/libssl3@3.0.11-1~deb12u2 | false",
            "pkg:deb/ubuntu/libssl3                       | pkg:deb/debian/libssl3@3.0.11-1~deb12u2 | false",
            "pkg:rpm/debian/libssl3                       | pkg:deb/debian/libssl3@3.0.11-1~deb12u2 | false",
            "pkg:deb/Debian/LibSSL3                       | pkg:deb/debian/libssl3@3.0.11-1~deb12u2 | true",
            "pkg:pypi/Typing_Extensions@4.9.0             | pkg:pypi/typing-extensions@4.9.0 | true",
            "pkg:maven/org.Yaml/snakeyaml@1.30            | pkg:maven/org.yaml/snakeyaml@1.30 | false",
            "pkg:golang/golang.org/x/text@0.3.6           | pkg:golang/golang.org/x/text@v0.3.6 | true",
            "pkg:golang/golang.org/x/text@v0.3.6          | pkg:golang/golang.org/x/text@v0.3.7 | false",
            "pkg:deb/debian/login@1:4.13+dfsg1-1+b1       | pkg:deb/debian/login@1%3A4.13%2Bdfsg1-1%2Bb1 | true",
    })
    void matching(String pattern, String pkg, boolean expected) {
        assertThat(Purl.parse(pattern).matches(Purl.parse(pkg))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "libssl3", "pkg:", "pkg:deb", "pkg:/libssl3", "pkg:deb/", "pkg:d$b/debian/x", "pkg:deb/debian/x@1%2",
            "pkg:deb/debian/x?arch", "pkg:deb/debian/x@%C3%28", "http://example.com/x"})
    void rejects(String s) {
        assertThatThrownBy(() -> Purl.parse(s)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Purl.tryParse(s)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "usr/local/lib/python3.11/site-packages/setuptools-*.dist-info/** | /usr/local/lib/python3.11/site-packages/setuptools-65.5.1.dist-info/METADATA | true",
            "usr/local/lib/python3.11/site-packages/setuptools-*.dist-info/** | /opt/venv/lib/python3.11/site-packages/setuptools-65.5.1.dist-info/METADATA | false",
            "**/pip-*.dist-info/METADATA    | /usr/lib/python3/dist-packages/pip-23.0.1.dist-info/METADATA | true",
            "**/pip-*.dist-info/METADATA    | pip-23.0.1.dist-info/METADATA | true",
            "/usr/local/bin/*               | /usr/local/bin/payments-api | true",
            "/usr/local/bin/*               | /usr/local/bin/sub/payments-api | false",
            "usr/**/app?.jar                | /usr/share/java/app1.jar | true",
            "usr/**/app?.jar                | /usr/share/java/app12.jar | false",
            "app/lib/jackson-[a-d]*.jar     | /app/lib/jackson-databind-2.13.2.2.jar | true",
            "app/lib/jackson-[!a-d]*.jar    | /app/lib/jackson-databind-2.13.2.2.jar | false",
            "./app/lib/a\\*b.jar            | /app/lib/a*b.jar | true",
            "./app/lib/a\\*b.jar            | /app/lib/axb.jar | false",
            "app/lib/(x)+.jar               | /app/lib/(x)+.jar | true",
            "app/lib/[abc.jar               | /app/lib/[abc.jar | true",
    })
    void globs(String glob, String path, boolean expected) {
        assertThat(Glob.compile(glob).matches(path)).isEqualTo(expected);
    }

    @Test
    void imageIdentity() {
        Digest m = Fixtures.MANIFEST;
        ScanTarget t = ScanTarget.of(Fixtures.image(), List.of());
        assertThat(t.isImage(Purl.parse("pkg:oci/payments-api"))).isTrue();
        assertThat(t.isImage(Purl.parse("pkg:oci/payments-api?repository_url=https://registry.example.com/shop/payments-api/"))).isTrue();
        assertThat(t.isImage(Purl.parse("pkg:oci/payments-api?tag=1.4.2"))).isTrue();
        assertThat(t.isImage(Purl.parse("pkg:oci/payments-api?tag=1.3.0"))).isFalse();
        assertThat(t.isImage(Purl.parse("pkg:oci/orders-api"))).isFalse();
        assertThat(t.isImage(Purl.parse("pkg:oci/whatever@" + m.toString().replace(":", "%3A")))).as("a digest is identity enough").isTrue();
        assertThat(t.isImage(Purl.parse("pkg:oci/payments-api@" + Fixtures.CONFIG))).as("the image ID counts too").isTrue();
        assertThat(t.isImage(Purl.parse("pkg:oci/payments-api@sha256:" + "0".repeat(64)))).isFalse();
        ScanTarget hub = ScanTarget.image("debian:12");
        assertThat(hub.isImage(Purl.parse("pkg:oci/debian?repository_url=index.docker.io/library/debian"))).isTrue();
        assertThat(hub.isImage(Purl.parse("pkg:oci/debian?repository_url=docker.io/debian"))).isTrue();
        assertThat(hub.isImage(Purl.parse("pkg:oci/debian?repository_url=ghcr.io/library/debian"))).isFalse();
        assertThat(ScanTarget.of(null, List.of()).hasImage()).isFalse();
    }
}
