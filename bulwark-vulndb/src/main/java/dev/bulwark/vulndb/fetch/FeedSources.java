package dev.bulwark.vulndb.fetch;

import dev.bulwark.vulndb.VulnDbException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public advisory feeds {@code bulwark db update} downloads by default, and the configuration that changes them:
 * a sources file (see {@link #resolve(Path, String)} and docs/feeds.md) and a mirror base URL for air-gapped sites.
 */
public final class FeedSources {
    /** OSV.dev's export bucket: one {@code all.zip} per ecosystem, exported continuously. */
    static final String OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com/";
    /** OSV ecosystems fetched by default: feed name and the ecosystem as OSV spells it in the bucket. */
    private static final String[][] OSV_ECOSYSTEMS = {
            {"osv-debian", "Debian"}, {"osv-ubuntu", "Ubuntu"}, {"osv-alpine", "Alpine"}, {"osv-go", "Go"},
            {"osv-npm", "npm"}, {"osv-pypi", "PyPI"}, {"osv-maven", "Maven"}, {"osv-crates-io", "crates.io"},
            {"osv-rubygems", "RubyGems"}, {"osv-nuget", "NuGet"}, {"osv-packagist", "Packagist"}};
    /** Alpine releases with security support at the time of writing (older ones are in osv-alpine too). */
    static final List<String> ALPINE_RELEASES = List.of("v3.22", "v3.23", "v3.24");
    static final String DEBIAN_TRACKER = "https://security-tracker.debian.org/tracker/data/json";
    static final String CISA_KEV = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
    static final String EPSS = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
    static final String NVD_FEEDS = "https://nvd.nist.gov/feeds/json/cve/2.0/";
    /** NVD's 2002 file holds every CVE from 1999 to 2002; one file per year follows. */
    static final int NVD_FIRST_YEAR = 2002;

    private FeedSources() {
    }

    /** The default sources, in a fixed order: OSV ecosystems, Debian tracker, Alpine secdb, KEV, EPSS. */
    public static List<FeedSource> defaults() {
        List<FeedSource> list = new ArrayList<>();
        for (String[] e : OSV_ECOSYSTEMS) list.add(FeedSource.of(e[0], OSV_BUCKET + e[1] + "/all.zip", e[0] + ".zip"));
        list.add(FeedSource.of("debian-tracker", DEBIAN_TRACKER, "debian-tracker.json"));
        for (String release : ALPINE_RELEASES) {
            list.add(alpineSecdb(release, "main"));
            list.add(alpineSecdb(release, "community"));
        }
        list.add(FeedSource.of("kev", CISA_KEV, "kev.json"));
        list.add(FeedSource.of("epss", EPSS, "epss.csv.gz"));
        return List.copyOf(list);
    }

    /** Alpine's secdb JSON for one release ({@code v3.22}) and repository ({@code main}, {@code community}). */
    public static FeedSource alpineSecdb(String release, String repository) {
        if (!release.matches("v\\d+\\.\\d+|edge") || !repository.matches("[a-z]+")) {
            throw new IllegalArgumentException("Alpine release '" + release + "' / repository '" + repository
                    + "' should look like v3.22 / main");
        }
        String name = "alpine-secdb-" + release + "-" + repository;
        return FeedSource.of(name, "https://secdb.alpinelinux.org/" + release + "/" + repository + ".json",
                name + ".json");
    }

    /**
     * NVD's yearly CVE JSON 2.0 data feeds, {@code nvd-YEAR} from {@code nvdcve-2.0-YEAR.json.gz}: whole files,
     * not the paged, rate-limited CVE API. Opt-in: they are large and carry no package ranges, only CVSS.
     */
    public static List<FeedSource> nvdYears(int from, int to) {
        if (from < NVD_FIRST_YEAR || to < from || to > 9999) {
            throw new IllegalArgumentException("NVD years " + from + "-" + to + ": the feeds start at " + NVD_FIRST_YEAR
                    + " (which holds 1999 to 2002) and the range must not be empty");
        }
        List<FeedSource> list = new ArrayList<>();
        for (int y = from; y <= to; y++) {
            list.add(FeedSource.of("nvd-" + y, NVD_FEEDS + "nvdcve-2.0-" + y + ".json.gz", "nvd-" + y + ".json.gz"));
        }
        return List.copyOf(list);
    }

    /** {@code source} fetched from {@code mirrorBase} instead: see {@link #mirrored(URI, URI)}. */
    public static FeedSource mirror(FeedSource source, URI mirrorBase) {
        FeedSource s = source.withUrl(mirrored(source.url(), mirrorBase));
        return source.checksumUrl() == null ? s : s.withChecksumUrl(mirrored(source.checksumUrl(), mirrorBase));
    }

    public static List<FeedSource> mirror(List<FeedSource> sources, URI mirrorBase) {
        return sources.stream().map(s -> mirror(s, mirrorBase)).toList();
    }

    /**
     * Where a URL lives on a mirror: {@code https://HOST/PATH} becomes {@code MIRROR/HOST/PATH}, the layout
     * {@code wget --force-directories} (or {@code wget -x}) writes, so a mirror can be filled with wget and served
     * by any static web server.
     */
    public static URI mirrored(URI url, URI mirrorBase) {
        return Urls.mirrored(url, Urls.mirrorBase(mirrorBase.toString()));
    }

    /**
     * The sources to fetch: the defaults, changed by a sources file when one is given, with the built-in sources
     * rewritten to a mirror when one is given here or in the file (this argument wins). URLs written in the file are
     * used as written.
     *
     * @param sourcesFile a sources file, or null
     * @param mirror      a mirror base URL, or null
     * @throws VulnDbException one line naming the file and line (or "mirror") and what is wrong
     */
    public static List<FeedSource> resolve(Path sourcesFile, String mirror) throws VulnDbException {
        return resolve(sourcesFile, mirror, Year.now(ZoneOffset.UTC).getValue());
    }

    static List<FeedSource> resolve(Path sourcesFile, String mirror, int currentYear) throws VulnDbException {
        SourcesFile file = sourcesFile == null ? SourcesFile.EMPTY : SourcesFile.read(sourcesFile, currentYear);
        URI base = null;
        String mirrorText = mirror != null && !mirror.isBlank() ? mirror : file.mirror();
        if (mirrorText != null) {
            try {
                base = Urls.mirrorBase(mirrorText);
            } catch (IllegalArgumentException e) {
                throw new VulnDbException(mirror != null && !mirror.isBlank() ? "mirror" : file.mirrorWhere(),
                        e.getMessage(), null);
            }
        }
        List<FeedSource> result = new ArrayList<>();
        for (SourcesFile.Entry e : file.apply(defaults())) {
            result.add(e.builtin() && base != null ? mirror(e.source(), base) : e.source());
        }
        return List.copyOf(result);
    }

    /**
     * The sources whose names are given, in the order of {@code all}.
     *
     * @throws VulnDbException when a name matches no source (the message lists the known names)
     */
    public static List<FeedSource> select(List<FeedSource> all, Collection<String> names) throws VulnDbException {
        Map<String, FeedSource> byName = new LinkedHashMap<>();
        for (FeedSource s : all) byName.put(s.name(), s);
        for (String n : names) {
            if (!byName.containsKey(n)) {
                throw new VulnDbException("feed " + n, "no such feed; known: " + String.join(", ", byName.keySet()), null);
            }
        }
        return all.stream().filter(s -> names.contains(s.name())).toList();
    }
}
