package dev.bulwark.report.json;

import dev.bulwark.model.Digest;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageEfficiency;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.model.Severity;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.Platform;
import dev.bulwark.model.SourcePackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Bulwark JSON: the inventory as written to disk, so that it can be matched again later without the image.
 * Translates between the model's records and {@link InventoryDocument}; internal to bulwark-report (use
 * {@code Reports}).
 */
public final class InventoryJson {
    /** Bumped on any change an older reader would misread; additive fields do not bump it. */
    public static final int SCHEMA_VERSION = 1;
    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z]+(\\[\\d+])?(\\.[A-Za-z]+(\\[\\d+])?)*: ");

    private InventoryJson() {
    }

    public static void write(Inventory inv, OutputStream out) throws IOException {
        Json.write(toDocument(inv), out);
    }

    /**
     * Reads an inventory written by {@link #write}.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the input is not JSON of the expected shape
     * @throws IllegalArgumentException when it is, but says something the model rejects (message names the field)
     */
    public static Inventory read(InputStream in) throws IOException {
        InventoryDocument doc = Json.reader(InventoryDocument.class).readValue(in);
        if (doc == null) throw new IllegalArgumentException("empty document");
        return fromDocument(doc);
    }

    static InventoryDocument toDocument(Inventory inv) {
        ImageEfficiency e = inv.efficiency();
        return new InventoryDocument(SCHEMA_VERSION, inv.tool(), str(inv.scannedAt()), image(inv.image()), os(inv.os()),
                inv.packages().stream().map(InventoryJson::pkg).toList(), inv.warnings(), null,
                inv.secrets().isEmpty() ? null : inv.secrets().stream().map(InventoryJson::secret).toList(),
                e == null ? null : inv.hygiene().stream().map(InventoryJson::hygiene).toList(),
                e == null ? null : new InventoryDocument.Efficiency(e.totalBytes(), e.wastedBytes(), e.cacheBytes(), e.score()));
    }

    static InventoryDocument.Secret secret(SecretFinding f) {
        return new InventoryDocument.Secret(f.ruleId(), f.severity().name(), f.title(), f.match(), f.path(), str(f.layer()),
                f.deletedLater(), f.line() > 0 ? f.line() : null);
    }

    static InventoryDocument.Hygiene hygiene(HygieneFinding h) {
        return new InventoryDocument.Hygiene(h.checkId(), h.severity().name(), h.title(), h.subject(), str(h.layer()), h.evidence(), h.fix());
    }

    private static SecretFinding secret(InventoryDocument.Secret s) {
        if (s.rule() == null) throw new IllegalArgumentException("rule: missing");
        if (s.path() == null) throw new IllegalArgumentException("path: missing");
        return new SecretFinding(s.rule(), severity(s.severity()), s.title(), s.match(), s.path(), digest("layer", s.layer()),
                Boolean.TRUE.equals(s.deletedLater()), s.line() == null ? 0 : s.line());
    }

    private static HygieneFinding hygiene(InventoryDocument.Hygiene h) {
        if (h.check() == null) throw new IllegalArgumentException("check: missing");
        return new HygieneFinding(h.check(), h.title(), severity(h.severity()), h.subject(), digest("layer", h.layer()), h.evidence(), h.fix());
    }

    private static Severity severity(String s) {
        if (s == null) return null;
        try {
            return Severity.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity: unknown '" + s + "'", e);
        }
    }

    /**
     * History lines of RUN steps begin with the build ARGs they saw ("|2 TOKEN=ghp_... X=1 /bin/sh -c ..."): values
     * are masked, so that an SBOM never repeats a secret the secret scanner reports redacted.
     */
    public static String maskBuildArgs(String createdBy) {
        if (createdBy == null || !createdBy.startsWith("|")) return createdBy;
        int sp = createdBy.indexOf(' ');
        if (sp < 2) return createdBy;
        int n;
        try {
            n = Integer.parseInt(createdBy.substring(1, sp));
        } catch (NumberFormatException e) {
            return createdBy;
        }
        StringBuilder b = new StringBuilder(createdBy.substring(0, sp + 1));
        int i = sp + 1;
        for (int k = 0; k < n && i < createdBy.length(); k++) {
            int end = createdBy.indexOf(' ', i);
            if (end < 0) end = createdBy.length();
            String word = createdBy.substring(i, end);
            int eq = word.indexOf('=');
            if (eq <= 0) break;
            b.append(word, 0, eq + 1).append("***");
            if (end < createdBy.length()) b.append(' ');
            i = end + 1;
        }
        if (i < createdBy.length()) b.append(createdBy, i, createdBy.length());
        return b.toString();
    }

    private static InventoryDocument.Image image(ImageInfo i) {
        if (i == null) return null;
        Platform p = i.platform();
        return new InventoryDocument.Image(i.target(), i.kind(), str(i.imageId()), str(i.manifestDigest()), i.repoTags(),
                i.repoDigests(), p == null ? null : new InventoryDocument.Platform(p.os(), p.architecture(), p.variant()),
                i.created(),
                i.layers().stream().map(l -> new InventoryDocument.Layer(l.index(), str(l.diffId()), str(l.digest()),
                        l.size(), l.mediaType(), maskBuildArgs(l.createdBy()))).toList(),
                i.config());
    }

    private static InventoryDocument.Os os(OsRelease o) {
        return o == null ? null
                : new InventoryDocument.Os(o.id(), o.versionId(), o.codename(), o.prettyName(), o.idLike(), o.distroless());
    }

    static InventoryDocument.Pkg pkg(Package p) {
        SourcePackage s = p.source();
        return new InventoryDocument.Pkg(p.type().purlType(), p.name(), p.version(), p.purl(),
                s == null ? null : new InventoryDocument.Source(s.name(), s.version()), p.licenses(), str(p.layer()),
                p.paths(), p.properties());
    }

    static Inventory fromDocument(InventoryDocument d) {
        if (d.kind() != null && !d.kind().equals("inventory") && !d.kind().equals("scan")) {
            throw new IllegalArgumentException("kind: '" + d.kind() + "'"
                    + (d.kind().equals(AuditReportJson.KIND) ? " is an audit report" : " is another kind of document")
                    + ", not an inventory or a scan report");
        }
        if (d.schemaVersion() == null || d.schemaVersion() < 1)
            throw new IllegalArgumentException("schemaVersion: missing; not a Bulwark inventory");
        if (d.schemaVersion() > SCHEMA_VERSION)
            throw new IllegalArgumentException("schemaVersion: " + d.schemaVersion() + " is newer than this Bulwark reads ("
                    + SCHEMA_VERSION + "); upgrade Bulwark");
        List<Package> packages = new ArrayList<>();
        List<InventoryDocument.Pkg> pkgs = orEmpty(d.packages());
        for (int n = 0; n < pkgs.size(); n++) {
            String at = "packages[" + n + "]";
            if (pkgs.get(n) == null) throw new IllegalArgumentException(at + ": null");
            packages.add(at(at, pkgs.get(n), InventoryJson::pkg));
        }
        List<SecretFinding> secrets = new ArrayList<>();
        List<InventoryDocument.Secret> ss = orEmpty(d.secrets());
        for (int n = 0; n < ss.size(); n++) {
            if (ss.get(n) == null) throw new IllegalArgumentException("secrets[" + n + "]: null");
            secrets.add(at("secrets[" + n + "]", ss.get(n), InventoryJson::secret));
        }
        List<HygieneFinding> hygiene = new ArrayList<>();
        List<InventoryDocument.Hygiene> hs = orEmpty(d.hygiene());
        for (int n = 0; n < hs.size(); n++) {
            if (hs.get(n) == null) throw new IllegalArgumentException("hygiene[" + n + "]: null");
            hygiene.add(at("hygiene[" + n + "]", hs.get(n), InventoryJson::hygiene));
        }
        InventoryDocument.Efficiency e = d.efficiency();
        ImageEfficiency eff = e == null ? null : new ImageEfficiency(e.totalBytes() == null ? 0 : e.totalBytes(),
                e.wastedBytes() == null ? 0 : e.wastedBytes(), e.cacheBytes() == null ? 0 : e.cacheBytes(), e.score() == null ? Double.NaN : e.score());
        return new Inventory(at("image", d.image(), InventoryJson::image), os(d.os()), packages,
                nonNull("warnings", d.warnings()), instant(d.scannedAt()), d.tool(), secrets, hygiene, eff);
    }

    private static ImageInfo image(InventoryDocument.Image i) {
        if (i == null) return null;
        List<LayerInfo> layers = new ArrayList<>();
        List<InventoryDocument.Layer> ls = orEmpty(i.layers());
        for (int n = 0; n < ls.size(); n++) {
            InventoryDocument.Layer l = ls.get(n);
            String at = "layers[" + n + "]";
            if (l == null) throw new IllegalArgumentException(at + ": null");
            if (l.index() == null) throw new IllegalArgumentException(at + ".index: missing");
            layers.add(new LayerInfo(l.index(), digest(at + ".diffId", l.diffId()), digest(at + ".digest", l.digest()),
                    l.size() == null ? -1 : l.size(), l.mediaType(), l.createdBy()));
        }
        InventoryDocument.Platform p = i.platform();
        return new ImageInfo(i.target(), i.kind(), digest("imageId", i.imageId()), digest("manifestDigest", i.manifestDigest()),
                nonNull("repoTags", i.repoTags()), nonNull("repoDigests", i.repoDigests()),
                p == null ? null : at("platform", p, x -> new Platform(x.os(), x.architecture(), x.variant())),
                i.created(), layers, nonNull("config", i.config()));
    }

    private static OsRelease os(InventoryDocument.Os o) {
        return o == null ? null : new OsRelease(o.id(), o.versionId(), o.codename(), o.prettyName(), o.idLike(),
                Boolean.TRUE.equals(o.distroless()));
    }

    static Package pkg(InventoryDocument.Pkg p) {
        if (p.name() == null) throw new IllegalArgumentException("name: missing");
        InventoryDocument.Source s = p.source();
        return new Package(type(p.type()), p.name(), p.version(), p.purl(),
                s == null ? null : new SourcePackage(s.name(), s.version()), nonNull("licenses", p.licenses()),
                digest("layer", p.layer()), nonNull("paths", p.paths()), nonNull("properties", p.properties()));
    }

    private static PackageType type(String purlType) {
        for (PackageType t : PackageType.values()) {
            if (t.purlType().equals(purlType)) return t;
        }
        throw new IllegalArgumentException("type: unknown package type '" + purlType + "'");
    }

    private static Digest digest(String field, String s) {
        if (s == null) return null;
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(String s) {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("scannedAt: not an ISO-8601 UTC instant: '" + s + "'", e);
        }
    }

    /** Applies {@code f}, prefixing any complaint with where in the document it arose. */
    static <A, B> B at(String where, A value, Function<A, B> f) {
        if (value == null) return null;
        try {
            return f.apply(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            String m = e.getMessage() == null ? "invalid" : e.getMessage();
            // a nested complaint already names its field ("layer: ..."): extend the path instead of repeating it
            throw new IllegalArgumentException(where + (FIELD_PATH.matcher(m).lookingAt() ? "." : ": ") + m, e);
        }
    }

    /** The model's List.copyOf/Map.copyOf reject null elements with a bare NPE: say which field instead. */
    static <T> List<T> nonNull(String field, List<T> list) {
        if (list != null && list.contains(null)) throw new IllegalArgumentException(field + ": null element");
        return list;
    }

    private static <K, V> Map<K, V> nonNull(String field, Map<K, V> map) {
        if (map != null && (map.containsKey(null) || map.containsValue(null)))
            throw new IllegalArgumentException(field + ": null value");
        return map;
    }

    static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
