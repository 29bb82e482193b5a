package dev.bulwark.audit.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every check of the host audit, in benchmark order. */
final class Catalogue {
    /** Bulwark's id for CIS v1.8.0 2.7 (its number collides with v1.6.0 2.7, TLS). */
    static final String DEVICEMAPPER = "DOCKER-DEVICEMAPPER";

    private static final List<Check> CHECKS;

    static {
        List<Check> all = new ArrayList<>();
        all.addAll(HostChecks.all());
        all.addAll(DaemonChecks.all());
        all.addAll(FileChecks.all());
        all.addAll(ImageChecks.all());
        all.addAll(ContainerChecks.all());
        all.addAll(OperationsChecks.all());
        CHECKS = Collections.unmodifiableList(all);
    }

    private Catalogue() {
    }

    static List<Check> checks() {
        return CHECKS;
    }
}
