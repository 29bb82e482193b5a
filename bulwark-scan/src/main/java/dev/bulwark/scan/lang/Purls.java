package dev.bulwark.scan.lang;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;

/** Package URLs for the language analysers, built (and percent-encoded) by packageurl-java. */
public final class Purls {
    private Purls() {
    }

    /**
     * The canonical purl, or null when packageurl-java refuses the parts (a name with characters the type forbids):
     * a package without a purl is still worth reporting.
     *
     * @param namespace null when the type has none
     */
    public static String of(String type, String namespace, String name, String version) {
        try {
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(type).withName(name);
            if (namespace != null && !namespace.isEmpty()) b.withNamespace(namespace);
            if (version != null && !version.isEmpty()) b.withVersion(version);
            return b.build().canonicalize();
        } catch (MalformedPackageURLException | RuntimeException e) {
            return null;
        }
    }
}
