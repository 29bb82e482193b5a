package dev.bulwark.match.suppress;

/** The four VEX statuses; CycloneDX analysis states map onto them. */
enum VexStatus {
    NOT_AFFECTED, FIXED, AFFECTED, UNDER_INVESTIGATION;

    /** not_affected and fixed take a finding out of the results; the others keep it. */
    boolean suppresses() {
        return this == NOT_AFFECTED || this == FIXED;
    }
}
