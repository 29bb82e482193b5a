package dev.bulwark.report;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.bulwark.model.Inventory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** What the CycloneDX and SPDX writers share. */
final class Sboms {
    private Sboms() {
    }

    /** The document's creation time: whole seconds, UTC, "Z" (the form SPDX requires). */
    static Instant created(ReportOptions opts) {
        return opts.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * A name-based UUID for one document: the same inventory rendered in the same format at the same instant
     * gets the same id (reproducible output, stable tests); another scan or another moment gets another.
     */
    static UUID documentId(String format, Inventory inv, ImageSubject subject, Instant created) {
        String seed = String.join("\n", "bulwark", format,
                subject.digest() != null ? subject.digest().toString() : subject.displayName(),
                String.valueOf(inv.scannedAt()), created.toString());
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The purl in canonical form, or null when there is none or it does not parse: both formats demand a valid
     * purl, and a malformed one from an analyser must not make the whole document invalid.
     */
    static String purl(String purl) {
        if (purl == null || purl.isBlank()) return null;
        try {
            return new PackageURL(purl).canonicalize();
        } catch (MalformedPackageURLException | RuntimeException e) {
            return null;
        }
    }
}
