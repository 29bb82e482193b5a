/**
 * Advisory feed parsers: pure functions from a feed file's bytes to {@link dev.bulwark.model.Advisory} records (and
 * {@link dev.bulwark.vulndb.feed.KevEntry} / {@link dev.bulwark.vulndb.feed.EpssScore} for the two enrichment
 * feeds), one class per format, and {@link dev.bulwark.vulndb.feed.Feeds}, which finds the format of each file in a
 * directory, archive or single file and runs the right parser.
 *
 * <h2>Contract</h2>
 * Parsers never throw on content. A malformed record is skipped and reported as one line,
 * {@code "file: record: what is wrong"}, and the records around it are still read; a malformed part of a record
 * (one bad range, one bad CVSS vector) is reported and the rest of the record kept. Files are streamed record by
 * record ({@link dev.bulwark.vulndb.feed.FeedSink}); a record over {@link dev.bulwark.vulndb.feed.Limits#maxRecordBytes}
 * is refused without being buffered. Archives are read entry by entry and never extracted; names that would escape
 * an extraction directory, and decompression bombs, stop the archive with a problem saying so.
 *
 * <h2>Mapping onto the model</h2>
 * <table>
 *   <caption>Feeds, their ids, sources and ecosystems</caption>
 *   <tr><th>format</th><th>advisory id</th><th>source</th><th>ecosystem, package</th><th>affected versions</th></tr>
 *   <tr><td>OSV 1.x JSON/YAML</td><td>{@code id}</td><td>{@code osv-<ecosystem>} (osv-go, osv-pypi)</td>
 *       <td>as written</td><td>OSV ranges and versions</td></tr>
 *   <tr><td>security-wg npm</td><td>NSWG-ECO-N</td><td>nodejs</td><td>npm, module_name</td>
 *       <td>extra {@code vulnerable_versions} / {@code patched_versions}: npm range expressions</td></tr>
 *   <tr><td>security-wg core</td><td>NSWG-COR-N</td><td>nodejs</td><td>nodejs, node</td><td>as for npm</td></tr>
 *   <tr><td>security-wg deps</td><td>the CVE</td><td>nodejs</td><td>nodejs, node</td><td>status not-affected</td></tr>
 *   <tr><td>RustSec</td><td>{@code id}</td><td>rustsec</td><td>crates.io (rust-toolchain for rust/), package</td>
 *       <td>extra {@code patched} / {@code unaffected}: Cargo requirements joined by " || "</td></tr>
 *   <tr><td>Alpine secdb</td><td>each CVE (else XSA-… etc.)</td><td>alpine</td><td>Alpine:v3.11, aport</td>
 *       <td>ECOSYSTEM introduced 0, fixed V; status fixed, or not-affected for version "0"</td></tr>
 *   <tr><td>Debian tracker</td><td>CVE-… / TEMP-…</td><td>debian</td><td>Debian:12, source package</td>
 *       <td>ECOSYSTEM introduced 0, fixed V; status fixed / unfixed / wont-fix / not-affected</td></tr>
 *   <tr><td>NVD CVE API 2.0</td><td>CVE</td><td>nvd</td><td>none (CVSS only)</td><td>none</td></tr>
 * </table>
 * Range expressions (npm, RustSec) are not turned into OSV events: an expression such as
 * {@code ">=1.2.0 <1.4.5 || >=2.0.0 <2.1.1"} is not a list of introduced/fixed pairs in general, so matching
 * evaluates the expression itself with the ecosystem's range rules. The status and extra conventions of each feed
 * are documented on its parser class.
 *
 * <p>CVSS: v3.0/v3.1 and v2 base scores are computed from the vector ({@link dev.bulwark.vulndb.feed.CvssV3},
 * {@link dev.bulwark.vulndb.feed.CvssV2}); v4.0 vectors keep the score the feed gives, or NaN.
 *
 * <p>{@link dev.bulwark.vulndb.feed.Feeds#parseTree(java.nio.file.Path)} merges record-level advisories that share
 * source, id and ecosystems, giving one Alpine or Debian advisory per vulnerability per release.
 */
package dev.bulwark.vulndb.feed;
