package dev.bulwark.vulndb.feed;

import dev.bulwark.model.Advisory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything read from one file or tree: the records, and one line per problem met on the way.
 *
 * @param advisories   advisories (from a single parser: one per record; from {@link Feeds}: merged, see there)
 * @param kev          CISA KEV entries
 * @param epss         EPSS scores
 * @param problems     malformed, oversized or refused records, files and archives, each naming file and record
 * @param stats        per format: files, records, problems ({@link Feeds} only; empty from a single parser)
 * @param unrecognised files and archive entries that belong to no known format and were left alone
 */
public record ParseResult(List<Advisory> advisories, List<KevEntry> kev, List<EpssScore> epss, List<String> problems,
                          Map<FeedFormat, FormatStats> stats, List<String> unrecognised) {
    public ParseResult {
        advisories = List.copyOf(advisories);
        kev = List.copyOf(kev);
        epss = List.copyOf(epss);
        problems = List.copyOf(problems);
        stats = stats.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(stats));
        unrecognised = List.copyOf(unrecognised);
    }

    public ParseResult(List<Advisory> advisories, List<String> problems) {
        this(advisories, List.of(), List.of(), problems, Map.of(), List.of());
    }

    /** A sink that keeps everything it is given, for {@link #result()}. */
    public static Collector collector() {
        return new Collector();
    }

    /** Gathers a parser's output into lists. Not thread-safe. */
    public static final class Collector implements FeedSink {
        private final List<Advisory> advisories = new ArrayList<>();
        private final List<KevEntry> kev = new ArrayList<>();
        private final List<EpssScore> epss = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> unrecognised = new ArrayList<>();

        private Collector() {
        }

        @Override
        public void advisory(Advisory advisory) {
            advisories.add(advisory);
        }

        @Override
        public void kev(KevEntry entry) {
            kev.add(entry);
        }

        @Override
        public void epss(EpssScore score) {
            epss.add(score);
        }

        @Override
        public void problem(String problem) {
            problems.add(problem);
        }

        @Override
        public void unrecognised(String name) {
            unrecognised.add(name);
        }

        public ParseResult result() {
            return new ParseResult(advisories, kev, epss, problems, Map.of(), unrecognised);
        }

        ParseResult result(List<Advisory> merged, Map<FeedFormat, FormatStats> stats) {
            return new ParseResult(merged, kev, epss, problems, stats, unrecognised);
        }

        List<Advisory> advisories() {
            return advisories;
        }
    }
}
