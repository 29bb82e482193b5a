package dev.bulwark.match;

import dev.bulwark.match.version.NpmRange;
import dev.bulwark.match.version.Scheme;
import dev.bulwark.match.version.VersionScheme;
import dev.bulwark.match.version.Versions;
import dev.bulwark.model.AffectedPackage;
import dev.bulwark.model.AffectedRange;
import dev.bulwark.model.AffectedRange.Event;
import dev.bulwark.model.AffectedRange.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether one installed version is affected by one {@link AffectedPackage}, and which versions fix it.
 * OSV ranges follow the OSV specification's evaluation: events sorted by version, a version is affected when the
 * last event at or below it is an {@code introduced} ({@code "0"} meaning the beginning), a {@code last_affected}
 * covers versions up to and including it, a {@code limit} ends the range; explicitly listed {@code versions} are
 * affected as listed. security-wg (npm range expressions) and RustSec (Cargo requirements) keep their expressions,
 * which are evaluated as such.
 */
final class AffectedCheck {
    private AffectedCheck() {
    }

    /**
     * @param affected    whether {@code version} is affected
     * @param fixed       the versions (or, for expression feeds, the requirement) that fix it, lowest first
     * @param unparsable  a version in the advisory this scheme could not read (reported as a warning), or null
     */
    record Verdict(boolean affected, List<String> fixed, String unparsable) {
        static final Verdict NO = new Verdict(false, List.of(), null);
    }

    static Verdict check(AffectedPackage ap, String version, VersionScheme packageScheme) {
        if ("not-affected".equals(ap.status())) return Verdict.NO;
        String vulnerable = ap.extra().get("vulnerable_versions");
        if (vulnerable != null) return npmExpressions(vulnerable, ap.extra().get("patched_versions"), version);
        if (ap.ranges().isEmpty() && ap.versions().isEmpty() && ap.extra().containsKey("patched")) {
            return cargoRequirements(ap.extra().get("patched"), ap.extra().get("unaffected"), version);
        }
        if (ap.ranges().isEmpty() && ap.versions().isEmpty()) {
            // a distribution's "unfixed" or "will not fix" without ranges: every version of this release
            boolean open = "unfixed".equals(ap.status()) || "wont-fix".equals(ap.status());
            return open ? new Verdict(true, List.of(), null) : Verdict.NO;
        }
        boolean affected = false;
        List<String> fixed = new ArrayList<>();
        String unparsable = null;
        for (String listed : ap.versions()) {
            if (listed.equals(version) || sameVersion(packageScheme, listed, version)) {
                affected = true;
                break;
            }
        }
        for (AffectedRange r : ap.ranges()) {
            // ECOSYSTEM ranges use the package's scheme; so do Go's SEMVER ranges, whose versions are SemVer
            // written without the "v" that Go module versions carry (the Go scheme reads both)
            Optional<VersionScheme> scheme = r.type() == AffectedRange.Type.ECOSYSTEM
                    || r.type() == AffectedRange.Type.SEMVER && packageScheme == Scheme.GO
                    ? Optional.of(packageScheme) : Versions.forRange(r.type(), ap.ecosystem());
            if (scheme.isEmpty()) continue; // GIT ranges: commits, no order without the repository
            try {
                Optional<String> fix = inRange(r, version, scheme.get());
                if (fix != null) {
                    affected = true;
                    fix.ifPresent(fixed::add);
                }
            } catch (IllegalArgumentException e) {
                unparsable = e.getMessage();
            }
        }
        return new Verdict(affected, fixed, unparsable);
    }

    /**
     * @return null when {@code v} is outside the range; else the lowest fixed version above it, if any
     */
    static Optional<String> inRange(AffectedRange r, String v, VersionScheme s) {
        List<Event> events = new ArrayList<>(r.events());
        events.sort((a, b) -> {
            boolean az = isZero(a), bz = isZero(b);
            if (az || bz) return az && bz ? 0 : az ? -1 : 1;
            int c = s.compare(a.version(), b.version());
            return c != 0 ? c : Integer.compare(order(a.kind()), order(b.kind()));
        });
        boolean affected = false;
        String fixedAbove = null;
        for (Event e : events) {
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (isZero(e) || s.compare(v, e.version()) >= 0) affected = true;
                }
                case FIXED -> {
                    if (s.compare(v, e.version()) >= 0) affected = false;
                    else if (fixedAbove == null && affected) fixedAbove = e.version();
                }
                case LAST_AFFECTED -> {
                    if (s.compare(v, e.version()) > 0) affected = false;
                }
                case LIMIT -> {
                    if (s.compare(v, e.version()) >= 0) return null;
                }
            }
        }
        if (!affected) return null;
        return Optional.ofNullable(fixedAbove);
    }

    private static boolean isZero(Event e) {
        return e.kind() == EventKind.INTRODUCED && "0".equals(e.version());
    }

    private static int order(EventKind k) {
        return switch (k) {
            case INTRODUCED -> 0;
            case LAST_AFFECTED -> 1;
            case FIXED -> 2;
            case LIMIT -> 3;
        };
    }

    private static boolean sameVersion(VersionScheme s, String a, String b) {
        try {
            return s.isValid(a) && s.isValid(b) && s.compare(a, b) == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Verdict npmExpressions(String vulnerable, String patched, String version) {
        try {
            boolean affected = NpmRange.satisfies(version, vulnerable)
                    && (patched == null || patched.isBlank() || !NpmRange.satisfies(version, patched));
            return affected ? new Verdict(true, patched == null || patched.isBlank() ? List.of() : List.of(patched), null)
                    : Verdict.NO;
        } catch (IllegalArgumentException e) {
            return new Verdict(false, List.of(), e.getMessage());
        }
    }

    /**
     * RustSec: affected unless a patched or unaffected requirement admits the version. Cargo requirements are npm
     * ranges but for commas between comparators and a bare version meaning a caret requirement.
     */
    private static Verdict cargoRequirements(String patched, String unaffected, String version) {
        try {
            for (String reqs : new String[]{patched, unaffected}) {
                if (reqs == null || reqs.isBlank()) continue;
                for (String req : reqs.split("\\|\\|")) {
                    if (!req.isBlank() && NpmRange.satisfies(version, cargoToNpm(req))) return Verdict.NO;
                }
            }
            return new Verdict(true, patched == null || patched.isBlank() ? List.of() : List.of(patched), null);
        } catch (IllegalArgumentException e) {
            return new Verdict(false, List.of(), e.getMessage());
        }
    }

    static String cargoToNpm(String req) {
        StringBuilder sb = new StringBuilder();
        for (String part : req.split(",")) {
            String p = part.strip().replace(" ", "");
            if (p.isEmpty()) continue;
            if (Character.isDigit(p.charAt(0))) p = "^" + p;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(p);
        }
        return sb.toString();
    }
}
