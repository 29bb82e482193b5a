package dev.bulwark.server.store;

import dev.bulwark.model.Finding;

/** One finding as the API shows it. {@code layer} is the diffID of the layer the package came from, or null. */
public record FindingRow(String vulnerability, String severity, String packageName, String version, String fixedVersion,
                         String type, String layer, String path, String title) {

    static FindingRow of(Finding f) {
        return new FindingRow(cut(f.id(), 200), Counts.NAMES[Counts.bucket(f.severity())], cut(f.pkg().name(), 500),
                cut(f.pkg().version(), 200), f.fixedVersions().isEmpty() ? null : cut(f.firstFixedVersion(), 200),
                f.pkg().type().purlType(), f.pkg().layer() == null ? null : f.pkg().layer().toString(),
                f.pkg().paths().isEmpty() ? null : cut(f.pkg().paths().get(0), 1000), cut(f.title(), 1000));
    }

    int bucket() {
        return Counts.parseBucket(severity);
    }

    /** Identity across scans of one image: the same vulnerability in the same package version at the same place. */
    String key() {
        return vulnerability + "|" + type + "|" + packageName + "|" + version + "|" + (path == null ? "" : path);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

}
