package dev.bulwark.scan.os.rpm;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;
import dev.bulwark.scan.license.Licenses;
import dev.bulwark.scan.os.OsPurls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure functions from a decoded rpm header to Bulwark's package record. */
public final class RpmPackages {
    /** "openssl-3.0.7-27.el9.src.rpm": name (may contain dashes), version, release. */
    private static final Pattern SOURCE_RPM = Pattern.compile("^(.+)-([^-]+)-([^-]+)\\.(?:no)?src\\.rpm$");
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");
    /** Known vendors and the purl namespace their distribution uses; checked in order ("opensuse" before "suse"). */
    private static final String[][] VENDORS = {{"red hat", "redhat"}, {"centos", "centos"}, {"rocky", "rocky"},
            {"almalinux", "almalinux"}, {"fedora", "fedora"}, {"amazon", "amazon"}, {"oracle", "oracle"},
            {"opensuse", "opensuse"}, {"suse", "suse"}, {"microsoft", "microsoft"}, {"vmware", "photon"}};

    private RpmPackages() {
    }

    /**
     * The package a header describes; null for the gpg-pubkey pseudo-packages rpm keeps its trusted keys in.
     *
     * @throws IllegalArgumentException when the header has no name or version
     */
    public static Package toPackage(RpmHeader h, String dbPath) {
        String name = h.string(RpmHeader.NAME), version = h.string(RpmHeader.VERSION);
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("header without a NAME");
        if (name.equals("gpg-pubkey")) return null;
        if (version == null || version.isEmpty()) throw new IllegalArgumentException("package " + name + " has no VERSION");
        String release = h.string(RpmHeader.RELEASE);
        Integer epochTag = h.int32(RpmHeader.EPOCH);
        String epoch = epochTag == null ? null : Integer.toUnsignedString(epochTag);
        // Epoch 0 and no epoch compare equal in rpm; like rpm -q, the version string shows only a real one.
        String shownEpoch = epoch == null || epoch.equals("0") ? null : epoch;
        String vr = version + (release == null || release.isEmpty() ? "" : "-" + release);
        String evr = (shownEpoch == null ? "" : shownEpoch + ":") + vr;
        String arch = h.string(RpmHeader.ARCH);
        String vendor = h.string(RpmHeader.VENDOR);
        String sourceRpm = h.string(RpmHeader.SOURCERPM);
        Map<String, String> props = new TreeMap<>();
        put(props, "arch", arch);
        put(props, "epoch", epoch);
        put(props, "release", release);
        put(props, "vendor", vendor);
        put(props, "sourceRpm", sourceRpm);
        put(props, "description", h.string(RpmHeader.SUMMARY));
        String purl = OsPurls.of("rpm", namespace(vendor), name, vr, "arch", arch, "epoch", shownEpoch);
        return new Package(PackageType.RPM, name, evr, purl, source(sourceRpm, shownEpoch, name, evr),
                Licenses.normalize(h.string(RpmHeader.LICENSE)), null, List.of(dbPath), props);
    }

    /** "openssl-3.0.7-27.el9.src.rpm" is source openssl at 3.0.7-27.el9, with the binary's epoch (the spec's). */
    static SourcePackage source(String sourceRpm, String epoch, String name, String evr) {
        if (sourceRpm == null) return new SourcePackage(name, evr);
        Matcher m = SOURCE_RPM.matcher(sourceRpm);
        if (!m.matches()) return new SourcePackage(name, evr);
        return new SourcePackage(m.group(1), (epoch == null ? "" : epoch + ":") + m.group(2) + "-" + m.group(3));
    }

    /** The files a package installed: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or the OLDFILENAMES of old headers. */
    public static List<String> files(RpmHeader h) {
        List<String> base = h.strings(RpmHeader.BASENAMES);
        if (base.isEmpty()) return h.strings(RpmHeader.OLDFILENAMES);
        List<String> dirs = h.strings(RpmHeader.DIRNAMES);
        int[] idx = h.int32s(RpmHeader.DIRINDEXES);
        List<String> out = new ArrayList<>(base.size());
        for (int i = 0; i < base.size() && i < idx.length; i++) {
            if (idx[i] >= 0 && idx[i] < dirs.size()) out.add(dirs.get(idx[i]) + base.get(i)); // damaged entries are left out
        }
        return out;
    }

    /** The purl namespace for a vendor: the distribution's short name; "redhat" when the header names no vendor. */
    static String namespace(String vendor) {
        if (vendor == null || vendor.isBlank()) return "redhat";
        String v = vendor.toLowerCase(Locale.ROOT);
        for (String[] known : VENDORS) if (v.contains(known[0])) return known[1];
        Matcher word = WORD.matcher(v);
        return word.find() ? word.group() : "redhat";
    }

    private static void put(Map<String, String> props, String key, String value) {
        if (value != null && !value.isEmpty()) props.put(key, value);
    }
}
