package dev.bulwark.report.json;

import dev.bulwark.model.Cvss;
import dev.bulwark.model.Finding;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.Suppression;
import dev.bulwark.model.VulnDbInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.bulwark.report.json.InventoryJson.at;
import static dev.bulwark.report.json.InventoryJson.nonNull;
import static dev.bulwark.report.json.InventoryJson.orEmpty;
import static dev.bulwark.report.json.InventoryJson.str;

/**
 * Bulwark JSON for a scan report: the inventory document, then findings, suppressed findings, the vulnerability
 * database used and matching's warnings. Internal to bulwark-report (use {@code Reports}).
 */
public final class ScanReportJson {
    private ScanReportJson() {
    }

    public static void write(ScanReport report, OutputStream out) throws IOException {
        Json.write(toDocument(report), out);
    }

    /**
     * Reads a scan report written by {@link #write}. A bare inventory document reads as a report without findings.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the input is not JSON of the expected shape
     * @throws IllegalArgumentException when it is, but says something the model rejects (message names the field)
     */
    public static ScanReport read(InputStream in) throws IOException {
        ScanReportDocument doc = Json.reader(ScanReportDocument.class).readValue(in);
        if (doc == null) throw new IllegalArgumentException("empty document");
        return fromDocument(doc);
    }

    static ScanReportDocument toDocument(ScanReport r) {
        InventoryDocument inv = InventoryJson.toDocument(r.inventory());
        return new ScanReportDocument(inv,
                r.secrets().isEmpty() ? inv.secrets() == null ? null : List.of() : r.secrets().stream().map(InventoryJson::secret).toList(),
                inv.hygiene() == null ? null : r.hygiene().stream().map(InventoryJson::hygiene).toList(),
                r.findings().stream().map(ScanReportJson::finding).toList(),
                r.suppressed().stream().map(s -> new ScanReportDocument.SuppressionDoc(
                        s.finding() == null ? null : finding(s.finding()), s.by(), s.reason(), s.where())).toList(),
                db(r.db()), r.warnings());
    }

    private static ScanReportDocument.FindingDoc finding(Finding f) {
        Cvss c = f.cvss();
        return new ScanReportDocument.FindingDoc(f.id(), f.aliases(), InventoryJson.pkg(f.pkg()), f.fixedVersions(),
                f.status().label(), f.severity().name(), f.severitySource(),
                c == null ? null : new ScanReportDocument.CvssDoc(c.version(), c.vector(), number(c.score()), c.source()),
                f.knownExploited(), number(f.epss()), f.title(), f.dataSources(), f.references());
    }

    private static ScanReportDocument.Db db(VulnDbInfo db) {
        if (db == null) return null;
        return new ScanReportDocument.Db(db.location(), str(db.builtAt()),
                db.sources().stream().map(s -> new ScanReportDocument.SourceDoc(s.name(), s.records(), str(s.updatedAt()),
                        s.origin())).toList(), db.schema());
    }

    /** JSON has no NaN or infinity: an unknown score is left out (and reads back as NaN). */
    private static Double number(double d) {
        return Double.isFinite(d) ? d : null;
    }

    static ScanReport fromDocument(ScanReportDocument d) {
        Inventory inv = InventoryJson.fromDocument(d.inventory());
        List<Finding> findings = list("findings", d.findings(), ScanReportJson::finding);
        List<Suppression> suppressed = list("suppressed", d.suppressed(), s -> new Suppression(
                at("finding", s.finding(), ScanReportJson::finding), s.by(), s.reason(), s.where()));
        return new ScanReport(inv, findings, suppressed, at("db", d.db(), ScanReportJson::db),
                nonNull("matchWarnings", d.matchWarnings()), inv.secrets(), inv.hygiene());
    }

    private static Finding finding(ScanReportDocument.FindingDoc f) {
        if (f.id() == null) throw new IllegalArgumentException("id: missing");
        if (f.pkg() == null) throw new IllegalArgumentException("package: missing");
        ScanReportDocument.CvssDoc c = f.cvss();
        return new Finding(f.id(), nonNull("aliases", f.aliases()), at("package", f.pkg(), InventoryJson::pkg),
                nonNull("fixedVersions", f.fixedVersions()), status(f.status()), severity(f.severity()),
                f.severitySource(),
                c == null ? null : new Cvss(c.version(), c.vector(), c.score() == null ? Double.NaN : c.score(), c.source()),
                Boolean.TRUE.equals(f.knownExploited()), f.epss() == null ? Double.NaN : f.epss(), f.title(),
                nonNull("dataSources", f.dataSources()), nonNull("references", f.references()));
    }

    private static VulnDbInfo db(ScanReportDocument.Db d) {
        List<VulnDbInfo.Source> sources = list("sources", d.sources(), s -> new VulnDbInfo.Source(s.name(),
                s.records() == null ? 0 : s.records(), instant("updatedAt", s.updatedAt()), s.origin()));
        return new VulnDbInfo(d.location(), instant("builtAt", d.builtAt()), sources, d.schema() == null ? 0 : d.schema());
    }

    private static FindingStatus status(String s) {
        if (s == null) return null; // the model's default: affected
        for (FindingStatus st : FindingStatus.values()) {
            if (st.label().equals(s)) return st;
        }
        throw new IllegalArgumentException("status: unknown '" + s + "'");
    }

    private static Severity severity(String s) {
        if (s == null) return null; // the model's default: UNKNOWN
        try {
            return Severity.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity: unknown '" + s + "'", e);
        }
    }

    private static Instant instant(String field, String s) {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an ISO-8601 UTC instant: '" + s + "'", e);
        }
    }

    /** Converts each element, naming the element ("findings[3].package.type: ...") when one is refused. */
    private static <A, B> List<B> list(String field, List<A> items, Function<A, B> f) {
        List<B> out = new ArrayList<>();
        List<A> in = orEmpty(items);
        for (int n = 0; n < in.size(); n++) {
            String where = field + "[" + n + "]";
            if (in.get(n) == null) throw new IllegalArgumentException(where + ": null");
            out.add(at(where, in.get(n), f));
        }
        return out;
    }
}
