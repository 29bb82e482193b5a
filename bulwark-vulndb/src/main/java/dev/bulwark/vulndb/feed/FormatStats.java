package dev.bulwark.vulndb.feed;

/**
 * What one format contributed to a parse.
 *
 * @param files    files (or archive entries) read in this format
 * @param records  records delivered: advisories before merging, KEV entries, EPSS rows
 * @param problems problems reported while reading them
 */
public record FormatStats(long files, long records, long problems) {
    FormatStats plus(FormatStats o) {
        return new FormatStats(files + o.files, records + o.records, problems + o.problems);
    }
}
