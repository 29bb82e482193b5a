/**
 * The download half of {@code bulwark db update}: {@link dev.bulwark.vulndb.fetch.FeedFetcher} brings public
 * advisory feeds ({@link dev.bulwark.vulndb.fetch.FeedSources#defaults()}: OSV per-ecosystem archives, the Debian
 * Security Tracker, Alpine secdb, CISA KEV, EPSS; NVD's yearly files on request) into a feed directory that
 * {@link dev.bulwark.vulndb.feed.Feeds#parseTree(java.nio.file.Path)} then imports.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The network is used only inside {@link dev.bulwark.vulndb.fetch.FeedFetcher#fetch}; nothing is written
 *       outside the feed directory.</li>
 *   <li>A feed file is replaced only by a complete, verified body (declared length, size limit, SHA-256 when one is
 *       known, a plausible first few bytes), moved into place in one atomic rename; anything less leaves the previous
 *       file as it was.</li>
 *   <li>Conditional requests (ETag, Last-Modified) make an unchanged feed cost one round trip, and rewrite
 *       nothing.</li>
 *   <li>Bodies are streamed with back-pressure: memory does not grow with their size.</li>
 *   <li>Every failure is one line, {@code name: URL: what [after N tries]}; one source failing does not stop the
 *       others. Only an unusable feed directory makes {@code fetch} throw.</li>
 * </ul>
 * The sources file format, the mirror layout and the licences of the feeds are documented in {@code docs/feeds.md}.
 */
package dev.bulwark.vulndb.fetch;
