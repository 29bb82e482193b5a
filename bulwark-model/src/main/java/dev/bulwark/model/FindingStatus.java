package dev.bulwark.model;

/** Whether and how a finding can be fixed, in the words of the advisory that reported it. */
public enum FindingStatus {
    /** A fixed version exists: upgrading fixes it. */
    FIXED("fixed"),
    /** Affected and no fix is published yet. */
    AFFECTED("affected"),
    /** The distribution has decided not to fix it (Debian "ignored", "no-dsa" marked as such). */
    WILL_NOT_FIX("will_not_fix"),
    /** The distribution postpones the fix (Debian "postponed"). */
    FIX_DEFERRED("fix_deferred");

    private final String label;

    FindingStatus(String label) {
        this.label = label;
    }

    /** The lower-case name reports use (Trivy's vocabulary). */
    public String label() {
        return label;
    }
}
