package dev.bulwark.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulwark.model.Finding;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.ScanReport;
import dev.bulwark.report.SpdxLicenses.Declared;
import dev.bulwark.report.SpdxLicenses.Kind;
import dev.bulwark.report.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * CycloneDX 1.6 JSON, written from our own records rather than through cyclonedx-core-java: the subset we emit is
 * small, and the official schema checks it in the tests.
 * <p>
 * Bulwark-specific facts go in properties named {@code bulwark:...} (layer diffID, source package, paths, and the
 * package's own properties as {@code bulwark:meta:<key>}).
 * <p>
 * For a scan report the same SBOM gets a {@code vulnerabilities} array ({@link CycloneDxVulnerabilities}).
 */
final class CycloneDxWriter {
    static final String SPEC_VERSION = "1.6";
    /** CycloneDX caps a version string (definitions.version.maxLength). */
    private static final int MAX_VERSION = 1024;

    private CycloneDxWriter() {
    }

    static void write(Inventory inv, ReportOptions opts, OutputStream out) throws IOException {
        Json.write(bom(inv, opts), out);
    }

    /** The SBOM plus a {@code vulnerabilities} array (docs/report-findings.md). */
    static void write(ScanReport report, ReportOptions opts, OutputStream out) throws IOException {
        Json.write(bom(report, opts), out);
    }

    static Bom bom(Inventory inv, ReportOptions opts) {
        return sbom(inv, List.of(), "cyclonedx", opts).bom();
    }

    static Bom bom(ScanReport report, ReportOptions opts) {
        List<Package> extra = new ArrayList<>();
        Set<Package> known = new HashSet<>(report.inventory().packages());
        for (Finding f : CycloneDxVulnerabilities.all(report)) {
            if (known.add(f.pkg())) extra.add(f.pkg()); // a finding's package the inventory lacks still gets a component
        }
        // another document than the plain SBOM of the same inventory: its own serial number
        String seed = "cyclonedx-vulnerabilities\n" + (report.db() == null ? "" : report.db().builtAt());
        Sbom sbom = sbom(report.inventory(), extra, seed, opts);
        Bom b = sbom.bom();
        Metadata m = b.metadata();
        return new Bom(b.bomFormat(), b.specVersion(), b.serialNumber(), b.version(),
                new Metadata(m.timestamp(), m.tools(), m.component(), CycloneDxVulnerabilities.dbProperties(report.db())),
                b.components(), b.dependencies(), CycloneDxVulnerabilities.of(report, sbom.refs()));
    }

    /** The document and the bom-ref each package got (the first, for a package listed twice). */
    record Sbom(Bom bom, Map<Package, String> refs) {
    }

    private static Sbom sbom(Inventory inv, List<Package> extra, String format, ReportOptions opts) {
        ImageSubject subject = ImageSubject.of(inv.image());
        Instant created = Sboms.created(opts);
        Set<String> refs = new HashSet<>();
        Map<Package, String> packageRefs = new HashMap<>();

        String imageRef = unique(refs, subject.purl() != null ? subject.purl() : "image:" + subject.name());
        Component image = new Component("container", imageRef, subject.name(),
                subject.digest() == null ? null : subject.digest().toString(), null, List.of(), subject.purl(),
                imageProperties(inv.image()));
        List<Component> components = new ArrayList<>();
        OsRelease os = inv.os();
        if (os != null && os.id() != null) {
            String osRef = unique(refs, "os:" + os.id() + (os.versionId() == null ? "" : "@" + os.versionId()));
            components.add(new Component("operating-system", osRef, os.id(), version(os.versionId()), os.prettyName(),
                    List.of(), null, List.of()));
        }
        List<Package> packages = new ArrayList<>(inv.packages());
        packages.addAll(extra);
        for (Package p : PackageOrder.sorted(packages)) {
            String purl = Sboms.purl(p.purl());
            String ref = unique(refs, purl != null ? purl : p.type().purlType() + ":" + p.name() + "@" + p.version());
            packageRefs.putIfAbsent(p, ref);
            components.add(new Component("library", ref, p.name(), version(p.version()), null, licenses(p.licenses()), purl,
                    packageProperties(p)));
        }
        // We know what the image contains, not how its packages depend on each other: one edge per component.
        List<Dependency> dependencies = List.of(new Dependency(imageRef, components.stream().map(Component::bomRef).toList()));

        Component tool = new Component("application", null, opts.toolName(), opts.toolVersion(), null, List.of(), null,
                List.of());
        Bom bom = new Bom("CycloneDX", SPEC_VERSION,
                "urn:uuid:" + Sboms.documentId(format, inv, subject, created), 1,
                new Metadata(Sboms.iso(created), new Tools(List.of(tool)), image, List.of()), components, dependencies,
                List.of());
        return new Sbom(bom, packageRefs);
    }

    /**
     * CycloneDX holds either a list of single licences or exactly one expression. Ids and names make a list;
     * once an expression is involved, everything is joined into one expression with AND (a package declaring
     * several licences is under all of them), names turning into LicenseRef- ids.
     */
    static List<LicenseChoice> licenses(List<String> declared) {
        List<Declared> ds = SpdxLicenses.classify(declared).stream().distinct().toList();
        if (ds.stream().noneMatch(d -> d.kind() == Kind.EXPRESSION)) {
            return ds.stream().map(d -> d.kind() == Kind.ID
                    ? new LicenseChoice(new License(d.value(), null, "declared"), null, null)
                    : new LicenseChoice(new License(null, d.value(), "declared"), null, null)).toList();
        }
        List<String> terms = ds.stream().map(d -> switch (d.kind()) {
            case ID -> d.value();
            case EXPRESSION -> ds.size() == 1 || !d.value().contains(" ") ? d.value() : "(" + d.value() + ")";
            case NAME -> SpdxLicenses.licenseRef(d.value());
        }).distinct().toList();
        return List.of(new LicenseChoice(null, String.join(" AND ", terms), "declared"));
    }

    private static List<Property> imageProperties(ImageInfo i) {
        if (i == null) return List.of();
        List<Property> props = new ArrayList<>();
        add(props, "bulwark:image:target", i.target());
        add(props, "bulwark:image:kind", i.kind());
        if (i.imageId() != null) add(props, "bulwark:image:id", i.imageId().toString());
        if (i.manifestDigest() != null) add(props, "bulwark:image:manifestDigest", i.manifestDigest().toString());
        if (i.platform() != null) add(props, "bulwark:image:platform", i.platform().toString());
        i.repoTags().forEach(t -> add(props, "bulwark:image:repoTag", t));
        i.repoDigests().forEach(d -> add(props, "bulwark:image:repoDigest", d));
        for (LayerInfo l : i.layers()) {
            if (l.diffId() != null) add(props, "bulwark:image:layer:diffID", l.diffId().toString());
        }
        return props;
    }

    private static List<Property> packageProperties(Package p) {
        List<Property> props = new ArrayList<>();
        add(props, "bulwark:type", p.type().purlType());
        if (p.layer() != null) add(props, "bulwark:layer:diffID", p.layer().toString());
        if (p.source() != null) {
            add(props, "bulwark:source:name", p.source().name());
            add(props, "bulwark:source:version", p.source().version());
        }
        p.paths().forEach(path -> add(props, "bulwark:path", path));
        new TreeMap<>(p.properties()).forEach((k, v) -> add(props, "bulwark:meta:" + k, v));
        return props;
    }

    static void add(List<Property> props, String name, String value) {
        if (value != null && !value.isEmpty()) props.add(new Property(name, value));
    }

    static String version(String v) {
        if (v == null || v.isEmpty()) return null;
        if (v.length() <= MAX_VERSION) return v;
        int end = Character.isHighSurrogate(v.charAt(MAX_VERSION - 1)) ? MAX_VERSION - 1 : MAX_VERSION;
        return v.substring(0, end); // longer than any real version; CycloneDX would reject the whole BOM
    }

    /** bom-refs must be unique in the document; the same purl at two paths (a jar copied twice) is not. */
    private static String unique(Set<String> used, String ref) {
        String candidate = ref.isEmpty() ? "component" : ref;
        for (int n = 2; !used.add(candidate); n++) candidate = ref + "#" + n;
        return candidate;
    }

    // ---- wire shape (field order is the order written) ----

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"bomFormat", "specVersion", "serialNumber", "version", "metadata", "components", "dependencies",
            "vulnerabilities"})
    record Bom(String bomFormat, String specVersion, String serialNumber, int version, Metadata metadata,
               List<Component> components, List<Dependency> dependencies,
               List<CycloneDxVulnerabilities.Vulnerability> vulnerabilities) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"timestamp", "tools", "component", "properties"})
    record Metadata(String timestamp, Tools tools, Component component, List<Property> properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Tools(List<Component> components) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"type", "bom-ref", "name", "version", "description", "licenses", "purl", "properties"})
    record Component(String type, @JsonProperty("bom-ref") String bomRef,
                     @JsonInclude(JsonInclude.Include.ALWAYS) String name, // required, even when empty
                     String version, String description, List<LicenseChoice> licenses, String purl,
                     List<Property> properties) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LicenseChoice(License license, String expression, String acknowledgement) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "name", "acknowledgement"})
    record License(String id, String name, String acknowledgement) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Property(String name, String value) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Dependency(String ref, List<String> dependsOn) {
    }
}
