package dev.bulwark.bench;

import dev.bulwark.match.Matcher;
import dev.bulwark.model.Advisory;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.ImportResult;
import dev.bulwark.vulndb.PackageKey;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.feed.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching 10,000 packages against a DB imported from every feed of shared/vulndata, once the DB is open: the
 * time of {@link Matcher#match} (its DB queries included), and as a baseline the DB lookups alone. The inventory is {@link Workload}'s. The setup writes the
 * findings count and the inventory's composition to {@code -Dbulwark.bench.summary=FILE} (and standard output).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class MatchBenchmark {
    private Path dir;
    private VulnDb db;
    private Matcher matcher;
    private Workload workload;
    private List<PackageKey> keys;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("bulwark-jmh-db");
        List<Path> feeds = VulnData.feeds();
        DbLocation.Embedded loc = new DbLocation.Embedded(dir);
        long t0 = System.nanoTime();
        ImportResult imported = VulnDb.importPaths(loc, feeds, Limits.DEFAULT, null);
        double importS = (System.nanoTime() - t0) / 1e9;
        db = VulnDb.open(loc);
        matcher = new Matcher(db);
        workload = Workload.build(feeds, Path.of(System.getProperty("user.home"), ".m2", "repository"));

        keys = keys(workload.inventory.packages());
        Matcher.Result r = matcher.match(workload.inventory);
        Set<Package> affected = new HashSet<>();
        for (Finding f : r.findings()) affected.add(f.pkg());
        StringBuilder sb = new StringBuilder();
        sb.append("packages=").append(workload.inventory.packages().size()).append('\n');
        sb.append("findings=").append(r.findings().size()).append('\n');
        sb.append("affected_packages=").append(affected.size()).append('\n');
        sb.append("keys_with_advisories=").append(db.advisories(keys).size()).append(" of ").append(new HashSet<>(keys).size()).append('\n');
        sb.append("warnings=").append(r.warnings().size()).append('\n');
        for (String w : r.warnings()) sb.append("warning=").append(w.replace('\n', ' ')).append('\n');
        sb.append("db_records=").append(imported.total()).append('\n');
        sb.append(String.format("setup_import_s=%.1f%n", importS));
        for (Map.Entry<String, Integer> e : workload.composition.entrySet()) {
            sb.append("composition=").append(e.getValue()).append(' ').append(e.getKey()).append('\n');
        }
        System.out.print(sb);
        String out = System.getProperty("bulwark.bench.summary");
        if (out != null && !out.isBlank()) Files.writeString(Path.of(out), sb.toString(), StandardCharsets.UTF_8);
    }

    @Benchmark
    public Matcher.Result match10k() throws Exception {
        return matcher.match(workload.inventory);
    }

    /**
     * Baseline: only the DB lookups of the same 10,000 packages (the keys {@code match10k} asks for, one
     * {@link VulnDb#advisories} call), without version comparison, alias merging or enrichment.
     */
    @Benchmark
    public Map<PackageKey, List<Advisory>> lookup10k() throws Exception {
        return db.advisories(keys);
    }

    /** The lookup key of each package, as the matcher makes it (distribution packages by source name, in their release). */
    static List<PackageKey> keys(List<Package> packages) {
        List<PackageKey> out = new ArrayList<>();
        for (Package p : packages) {
            String eco = switch (p.type()) {
                case MAVEN -> "Maven";
                case NPM -> "npm";
                case PYPI -> "PyPI";
                case GOLANG -> "Go";
                case CARGO -> "crates.io";
                case GEM -> "RubyGems";
                case APK -> "Alpine:v3.11";
                case DEB, RPM -> throw new IllegalArgumentException("no " + p.type() + " packages in this workload");
            };
            out.add(PackageKey.of(eco, p.type().isOsPackage() ? p.sourceName() : p.name()));
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (db != null) db.close();
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
