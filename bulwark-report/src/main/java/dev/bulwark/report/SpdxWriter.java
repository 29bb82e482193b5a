package dev.bulwark.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.report.SpdxLicenses.Declared;
import dev.bulwark.report.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SPDX 2.3 JSON. The image is the package the document DESCRIBES and CONTAINS every other package. Packages are
 * metadata only ({@code filesAnalyzed: false}); licences are the declared ones, nothing is concluded.
 */
final class SpdxWriter {
    static final String NOASSERTION = "NOASSERTION";
    private static final String IMAGE_ID = "SPDXRef-Image";
    private static final String OS_ID = "SPDXRef-OperatingSystem";

    private SpdxWriter() {
    }

    static void write(Inventory inv, ReportOptions opts, OutputStream out) throws IOException {
        Json.write(document(inv, opts), out);
    }

    static Document document(Inventory inv, ReportOptions opts) {
        ImageSubject subject = ImageSubject.of(inv.image());
        Instant created = Sboms.created(opts);
        String namespace = opts.namespaceBase() + "/" + idstring(subject.name()) + "-"
                + Sboms.documentId("spdx", inv, subject, created);
        Set<String> ids = new HashSet<>(Set.of("SPDXRef-DOCUMENT", IMAGE_ID, OS_ID));
        LicenseRefs refs = new LicenseRefs();
        List<Pkg> packages = new ArrayList<>();
        List<Relationship> relationships = new ArrayList<>();

        Digest digest = subject.digest();
        packages.add(new Pkg(IMAGE_ID, subject.name(), digest == null ? null : digest.toString(), NOASSERTION, false,
                NOASSERTION, NOASSERTION, externalRefs(subject.purl()), null, "CONTAINER", null,
                inv.image() == null ? null : "target: " + inv.image().target()));
        relationships.add(new Relationship("SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID));

        OsRelease os = inv.os();
        if (os != null && os.id() != null) {
            packages.add(new Pkg(OS_ID, os.id(), blankToNull(os.versionId()), NOASSERTION, false, NOASSERTION, NOASSERTION,
                    List.of(), null, "OPERATING_SYSTEM", os.prettyName(), null));
            relationships.add(new Relationship(IMAGE_ID, "CONTAINS", OS_ID));
        }
        for (Package p : PackageOrder.sorted(inv.packages())) {
            String id = unique(ids, "SPDXRef-Package-" + p.type().purlType() + "-" + idstring(p.name()) + "-" + shortHash(p.key()));
            packages.add(new Pkg(id, p.name(), blankToNull(p.version()), NOASSERTION, false, NOASSERTION,
                    refs.declared(p.licenses()), externalRefs(Sboms.purl(p.purl())), sourceInfo(p),
                    // a distribution package may be a program or a library: say nothing rather than guess
                    p.type().isOsPackage() ? null : "LIBRARY", null, null));
            relationships.add(new Relationship(IMAGE_ID, "CONTAINS", id));
        }
        return new Document("SPDX-2.3", "CC0-1.0", "SPDXRef-DOCUMENT", subject.displayName(), namespace,
                new CreationInfo(Sboms.iso(created), List.of("Tool: " + opts.toolName() + "-" + opts.toolVersion())),
                packages, refs.extracted(), relationships);
    }

    private static List<ExternalRef> externalRefs(String purl) {
        return purl == null ? List.of() : List.of(new ExternalRef("PACKAGE-MANAGER", "purl", purl));
    }

    private static String sourceInfo(Package p) {
        SourcePackage s = p.source();
        if (s == null || s.name() == null || s.name().isBlank()) return null;
        String version = s.version() == null || s.version().isBlank() ? "" : " " + s.version();
        return "built package from: " + s.name() + version;
    }

    /** SPDX idstrings hold letters, digits, '.' and '-' only. */
    static String idstring(String s) {
        String id = s.replaceAll("[^A-Za-z0-9.-]+", "-");
        return id.isEmpty() ? "-" : id;
    }

    /** A stable suffix from the package's identity: ids stay the same across documents of the same inventory. */
    private static String shortHash(String key) {
        return Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 8);
    }

    private static String unique(Set<String> used, String id) {
        String candidate = id;
        for (int n = 2; !used.add(candidate); n++) candidate = id + "-" + n;
        return candidate;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * Turns declared licences into one licenseDeclared expression, minting a LicenseRef- for each licence name
     * that is no SPDX id, and remembering it: SPDX requires every LicenseRef- a document uses to be defined in
     * hasExtractedLicensingInfos.
     */
    private static final class LicenseRefs {
        private final Map<String, String> refByText = new TreeMap<>();
        private final Map<String, ExtractedLicense> byRef = new TreeMap<>();

        String declared(List<String> licenses) {
            List<Declared> ds = SpdxLicenses.classify(licenses).stream().distinct().toList();
            if (ds.isEmpty()) return NOASSERTION;
            List<String> terms = new ArrayList<>();
            for (Declared d : ds) {
                String term = switch (d.kind()) {
                    case ID -> d.value();
                    case NAME -> refFor(d.value());
                    case EXPRESSION -> {
                        // a LicenseRef- already in the metadata: defined with the only text we have, the declaration
                        SpdxLicenses.licenseRefs(d.value()).forEach(r -> define(r, d.value()));
                        yield ds.size() > 1 && d.value().contains(" ") ? "(" + d.value() + ")" : d.value();
                    }
                };
                if (!terms.contains(term)) terms.add(term);
            }
            return String.join(" AND ", terms);
        }

        private String refFor(String text) {
            String known = refByText.get(text);
            if (known != null) return known;
            String ref = SpdxLicenses.licenseRef(text);
            // "GPL 2" and "GPL_2" both sanitise to LicenseRef-GPL-2: the second one gets a hash of its text
            if (byRef.containsKey(ref)) ref = ref + "-" + shortHash(text);
            refByText.put(text, ref);
            define(ref, text);
            return ref;
        }

        private void define(String ref, String text) {
            byRef.putIfAbsent(ref, new ExtractedLicense(ref, text, text,
                    "Licence declared in package metadata; its full text was not extracted."));
        }

        List<ExtractedLicense> extracted() {
            return List.copyOf(byRef.values());
        }
    }

    // ---- wire shape (field order is the order written) ----

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace", "creationInfo", "packages",
            "hasExtractedLicensingInfos", "relationships"})
    record Document(String spdxVersion, String dataLicense, @JsonProperty("SPDXID") String spdxId,
                    @JsonInclude(JsonInclude.Include.ALWAYS) String name, String documentNamespace,
                    CreationInfo creationInfo, List<Pkg> packages, List<ExtractedLicense> hasExtractedLicensingInfos,
                    List<Relationship> relationships) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record CreationInfo(String created, List<String> creators) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"SPDXID", "name", "versionInfo", "downloadLocation", "filesAnalyzed", "licenseConcluded",
            "licenseDeclared", "externalRefs", "sourceInfo", "primaryPackagePurpose", "description", "comment"})
    record Pkg(@JsonProperty("SPDXID") String spdxId, @JsonInclude(JsonInclude.Include.ALWAYS) String name,
               String versionInfo, String downloadLocation, boolean filesAnalyzed, String licenseConcluded,
               String licenseDeclared, List<ExternalRef> externalRefs, String sourceInfo, String primaryPackagePurpose,
               String description, String comment) {
    }

    record ExternalRef(String referenceCategory, String referenceType, String referenceLocator) {
    }

    @JsonPropertyOrder({"licenseId", "extractedText", "name", "comment"})
    record ExtractedLicense(String licenseId, String extractedText, String name, String comment) {
    }

    record Relationship(String spdxElementId, String relationshipType, String relatedSpdxElement) {
    }
}
