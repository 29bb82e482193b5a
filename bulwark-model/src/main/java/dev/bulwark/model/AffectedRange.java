package dev.bulwark.model;

import java.util.List;

/**
 * A range of affected versions in OSV's event form: versions from an {@code introduced} event up to (not
 * including) the next {@code fixed} or {@code limit}, or up to and including a {@code last_affected}.
 *
 * @param type   how versions are ordered: SEMVER, ECOSYSTEM (the package's own scheme) or GIT (commits)
 * @param events in the order the source gives them
 */
public record AffectedRange(Type type, List<Event> events) {
    public AffectedRange {
        events = List.copyOf(events);
    }

    public enum Type { SEMVER, ECOSYSTEM, GIT }

    public enum EventKind { INTRODUCED, FIXED, LAST_AFFECTED, LIMIT }

    /** One event; for INTRODUCED, version "0" means "from the first version". */
    public record Event(EventKind kind, String version) {
    }

    /** The versions named as fixing this range. */
    public List<String> fixedVersions() {
        return events.stream().filter(e -> e.kind() == EventKind.FIXED).map(Event::version).toList();
    }
}
