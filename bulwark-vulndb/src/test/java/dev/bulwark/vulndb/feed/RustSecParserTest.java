package dev.bulwark.vulndb.feed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.model.Advisory;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RustSecParserTest {
    @Test
    void everyRustSecAdvisoryParses() throws Exception {
        ParseResult r = Feeds.parseTree(VulnData.of("rustsec-advisory-db"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.stats()).containsEntry(FeedFormat.RUSTSEC, new FormatStats(734, 734, 0));
        assertThat(r.unrecognised()).containsExactly("rustsec-advisory-db/LICENSE.txt");
        assertThat(r.advisories()).hasSize(734).allSatisfy(a -> assertThat(a.summary()).isNotBlank());
        // 714 crate advisories under crates/, 20 toolchain advisories under rust/
        assertThat(r.advisories().stream().filter(a -> a.affected().getFirst().ecosystem().equals("crates.io")))
                .hasSize(714);
        assertThat(r.advisories().stream().filter(a -> a.withdrawn() != null)).hasSize(9);
        assertThat(r.advisories().stream().filter(a -> !a.cvss().isEmpty()))
                .hasSize(296).allSatisfy(a -> assertThat(a.cvss().getFirst().score()).isBetween(0.0, 10.0));

        Map<String, Advisory> byId = OsvParserTest.byId(r.advisories());
        Advisory tokio = byId.get("RUSTSEC-2020-0019");
        assertThat(tokio.summary()).isEqualTo("tokio-rustls reads may cause excessive memory usage");
        assertThat(tokio.aliases()).containsExactly("CVE-2020-35875", "GHSA-2jfv-g3fh-xq3v");
        assertThat(tokio.published()).isEqualTo(Instant.parse("2020-05-19T00:00:00Z"));
        assertThat(tokio.severity()).isEqualTo(Severity.HIGH);
        assertThat(tokio.cvss().getFirst().score()).isEqualTo(7.5);
        AffectedPackage p = tokio.affected().getFirst();
        assertThat(p.name()).isEqualTo("tokio-rustls");
        assertThat(p.extra()).containsEntry("patched", ">= 0.12.3, < 0.13.0 || >= 0.13.1")
                .containsEntry("unaffected", "< 0.12").containsEntry("categories", "denial-of-service");

        Advisory badge = byId.get("RUSTSEC-2022-0057");
        assertThat(badge.summary()).isEqualTo("badge is Unmaintained");
        assertThat(badge.affected().getFirst().extra()).containsEntry("informational", "unmaintained")
                .containsEntry("patched", "");

        Advisory std = byId.get("CVE-2021-29922");
        AffectedPackage stdPkg = std.affected().getFirst();
        assertThat(stdPkg.ecosystem()).isEqualTo("rust-toolchain");
        assertThat(stdPkg.name()).isEqualTo("std");
        assertThat(stdPkg.extra()).containsEntry("patched", ">= 1.53.0").containsEntry("functions",
                "std::net::IpAddr::from_str,std::net::Ipv4Addr::from_str,std::net::Ipv6Addr::from_str");
    }

    @Test
    void filesWithoutAUsableFrontMatterAreReported() {
        RustSecParser parser = new RustSecParser();
        assertThat(parser.parse("# Just a title\n".getBytes(UTF_8), "crates/x/README.md").problems())
                .containsExactly("crates/x/README.md: no ```toml front matter block at the start; skipped");
        assertThat(parser.parse("```toml\n[advisory]\nid = \n```\n".getBytes(UTF_8), "a.md").problems())
                .singleElement().asString().startsWith("a.md: front matter is not valid TOML:");
        assertThat(parser.parse("```toml\n[advisory]\nid = \"RUSTSEC-0000-0000\"\n```\n".getBytes(UTF_8), "b.md")
                .problems()).containsExactly("b.md: RUSTSEC-0000-0000: no [advisory] package; skipped");
        assertThat(parser.parse("```toml\n[advisory]\npackage = \"x\"\n".getBytes(UTF_8), "c.md").problems())
                .containsExactly("c.md: no ```toml front matter block at the start; skipped");
    }
}
