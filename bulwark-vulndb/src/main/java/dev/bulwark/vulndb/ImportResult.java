package dev.bulwark.vulndb;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an import did.
 *
 * @param location     the DB written
 * @param records      per source, records now stored from this import
 * @param problems     malformed records and files met (each one line; the import went on without them)
 * @param problemCount how many problems in all ({@code problems} keeps the first thousand)
 * @param unrecognised files of no known format that were left alone
 * @param elapsed      wall time
 */
public record ImportResult(String location, Map<String, Long> records, List<String> problems, long problemCount,
                           List<String> unrecognised, Duration elapsed) {
    public ImportResult {
        records = Map.copyOf(records);
        problems = List.copyOf(problems);
        unrecognised = List.copyOf(unrecognised);
    }

    public long total() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }
}
