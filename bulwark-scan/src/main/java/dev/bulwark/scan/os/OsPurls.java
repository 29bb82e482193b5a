package dev.bulwark.scan.os;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;

/** Package URLs for OS packages; null (no purl) rather than an exception for names a purl cannot carry. */
public final class OsPurls {
    private OsPurls() {
    }

    /**
     * @param qualifiers key, value, key, value...; pairs with a null or empty value are left out
     */
    public static String of(String type, String namespace, String name, String version, String... qualifiers) {
        try {
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(type).withNamespace(namespace).withName(name)
                    .withVersion(version == null || version.isEmpty() ? null : version);
            for (int i = 0; i + 1 < qualifiers.length; i += 2) {
                if (qualifiers[i + 1] != null && !qualifiers[i + 1].isEmpty()) b.withQualifier(qualifiers[i], qualifiers[i + 1]);
            }
            return b.build().canonicalize();
        } catch (MalformedPackageURLException | IllegalArgumentException e) {
            return null;
        }
    }
}
