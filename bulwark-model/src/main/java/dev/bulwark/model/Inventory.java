package dev.bulwark.model;

import java.time.Instant;
import java.util.List;

/**
 * What is inside an image: the meeting point of scanning and matching. An inventory stored today can be matched
 * again tomorrow without the image.
 *
 * @param image     the artifact
 * @param os        the distribution, or null when none was recognised
 * @param packages  every package found, sorted by type, name, version
 * @param warnings  non-fatal problems met while scanning (a file that could not be parsed, a symlink loop...)
 * @param scannedAt when the scan ran
 * @param tool      name and version of the scanner
 */
public record Inventory(ImageInfo image, OsRelease os, List<Package> packages, List<String> warnings,
                        Instant scannedAt, String tool) {
    public Inventory {
        packages = packages == null ? List.of() : List.copyOf(packages);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
