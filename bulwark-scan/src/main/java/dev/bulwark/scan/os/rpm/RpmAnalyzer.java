package dev.bulwark.scan.os.rpm;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.license.Licenses;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RPM packages from the sqlite package database of rpm >= 4.16 (RHEL 9, Fedora, Rocky, Alma, Amazon Linux 2023):
 * each row of table Packages holds one package header.
 */
public final class RpmAnalyzer implements Analyzer {
    private static final List<String> SQLITE = List.of("/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite");
    private static final List<String> LEGACY = List.of("/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db");
    private static final Pattern SRPM = Pattern.compile("^(.+)-([^-]+)-([^-]+)\\.(?:no)?src\\.rpm$");
    private static final long MAX = 1L << 30;

    @Override
    public String type() {
        return "rpm";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean packageDatabase() {
        return true;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size <= MAX && (SQLITE.contains(path) || LEGACY.contains(path));
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        if (LEGACY.contains(in.path()))
            return FileResult.warning(type(), in.path(), "Berkeley DB and NDB rpm databases are not read yet (only rpmdb.sqlite)");
        // sqlite needs a file of its own; the copy is private and removed right after.
        Path tmp = Files.createTempFile("bulwark-rpmdb-", ".sqlite");
        try {
            try (InputStream s = in.open()) {
                Files.copy(s, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return read(tmp, in.path());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private FileResult read(Path db, String path) {
        List<Package> out = new ArrayList<>();
        Map<String, List<String>> owned = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro&immutable=1");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT hnum, blob FROM Packages")) {
            while (rs.next()) {
                try {
                    RpmHeader h = RpmHeader.parse(rs.getBytes(2));
                    Package p = pkg(h, path);
                    if (p == null) continue;
                    out.add(p);
                    List<String> files = files(h);
                    if (!files.isEmpty()) owned.put(p.name(), files);
                } catch (IllegalArgumentException e) {
                    warnings.add(path + ": package header " + rs.getLong(1) + ": " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            return FileResult.warning(type(), path, "not a readable rpm sqlite database (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return new FileResult(type(), path, out, null, owned, null, warnings);
    }

    static Package pkg(RpmHeader h, String path) {
        String name = h.string(RpmHeader.NAME), version = h.string(RpmHeader.VERSION), release = h.string(RpmHeader.RELEASE);
        if (name == null || version == null || name.equals("gpg-pubkey")) return null; // keys are not packages
        Integer epoch = h.int32(RpmHeader.EPOCH);
        String evr = (epoch != null && epoch != 0 ? epoch + ":" : "") + version + (release == null ? "" : "-" + release);
        String arch = h.string(RpmHeader.ARCH);
        Map<String, String> props = new TreeMap<>();
        if (arch != null) props.put("arch", arch);
        if (h.string(RpmHeader.VENDOR) != null) props.put("vendor", h.string(RpmHeader.VENDOR));
        return new Package(PackageType.RPM, name, evr, purl(name, version, release, arch, epoch, h.string(RpmHeader.VENDOR)),
                source(h.string(RpmHeader.SOURCERPM), epoch, name, evr), Licenses.normalize(h.string(RpmHeader.LICENSE)), null,
                List.of(path), props);
    }

    /** "openssl-3.0.7-27.el9.src.rpm" is source openssl at the binary's epoch, version 3.0.7, release 27.el9. */
    static SourcePackage source(String srpm, Integer epoch, String name, String evr) {
        if (srpm == null) return new SourcePackage(name, evr);
        Matcher m = SRPM.matcher(srpm);
        if (!m.matches()) return new SourcePackage(name, evr);
        return new SourcePackage(m.group(1), (epoch != null && epoch != 0 ? epoch + ":" : "") + m.group(2) + "-" + m.group(3));
    }

    private static List<String> files(RpmHeader h) {
        List<String> base = h.strings(RpmHeader.BASENAMES), dirs = h.strings(RpmHeader.DIRNAMES);
        int[] idx = h.int32s(RpmHeader.DIRINDEXES);
        List<String> out = new ArrayList<>(base.size());
        for (int i = 0; i < base.size() && i < idx.length; i++) {
            if (idx[i] >= 0 && idx[i] < dirs.size()) out.add(dirs.get(idx[i]) + base.get(i));
        }
        return out;
    }

    private static String purl(String name, String version, String release, String arch, Integer epoch, String vendor) {
        try {
            String ns = vendor == null ? "redhat" : vendor.toLowerCase(Locale.ROOT).split("[ ,]")[0];
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("rpm").withNamespace(ns.isEmpty() ? "redhat" : ns)
                    .withName(name).withVersion(version + (release == null ? "" : "-" + release));
            if (arch != null) b.withQualifier("arch", arch);
            if (epoch != null && epoch != 0) b.withQualifier("epoch", String.valueOf(epoch));
            return b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }
}
