package dev.bulwark.audit.file;

import dev.bulwark.audit.host.CheckInfo;
import dev.bulwark.audit.host.HostAuditor;

import java.util.HashMap;
import java.util.Map;

/**
 * The CIS profile level of a file check, taken from the host audit's catalogue: a file check with a CIS number
 * checks what the host check of that number checks on a running container, so they share its level.
 */
final class CisLevels {
    private static final Map<String, Integer> LEVELS = new HashMap<>();

    static {
        for (CheckInfo i : HostAuditor.catalogue()) LEVELS.put(i.id(), i.level());
    }

    private CisLevels() {
    }

    /** 1 or 2 for a CIS Docker Benchmark number, 0 for Bulwark's own ids. */
    static int of(String checkId) {
        return LEVELS.getOrDefault(checkId, 0);
    }
}
