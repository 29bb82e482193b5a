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
 * @param secrets   secrets found in every layer (deleted files included) and in the image config; empty when the
 *                  secret scanner did not run
 * @param hygiene   image-hygiene problems; empty when the hygiene checks did not run
 * @param efficiency wasted bytes across layers, or null when the hygiene checks did not run
 */
public record Inventory(ImageInfo image, OsRelease os, List<Package> packages, List<String> warnings,
                        Instant scannedAt, String tool, List<SecretFinding> secrets, List<HygieneFinding> hygiene,
                        ImageEfficiency efficiency) {
    public Inventory {
        packages = packages == null ? List.of() : List.copyOf(packages);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        hygiene = hygiene == null ? List.of() : List.copyOf(hygiene);
    }

    /** An inventory of packages only (no secret or hygiene analysis). */
    public Inventory(ImageInfo image, OsRelease os, List<Package> packages, List<String> warnings, Instant scannedAt, String tool) {
        this(image, os, packages, warnings, scannedAt, tool, List.of(), List.of(), null);
    }

    /** The same inventory with other warnings. */
    public Inventory withWarnings(List<String> list) {
        return new Inventory(image, os, packages, list, scannedAt, tool, secrets, hygiene, efficiency);
    }
}
