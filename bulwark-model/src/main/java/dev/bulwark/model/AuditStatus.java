package dev.bulwark.model;

/**
 * Verdicts of audit checks: the pass / fail / warn / info / manual, plus error. docker-bench-security says
 * WARN for what is FAIL here, INFO for WARN and MANUAL, NOTE for INFO (docs/report-audit.md has the table).
 */
public enum AuditStatus {
    /** The subject complies. */
    PASS,
    /** The subject does not comply: the fix says what to change. */
    FAIL,
    /**
     * An automated check found something a human must confirm (a published port, a device, a group member): it
     * may be intended; the evidence says what and the fix what to change if it is not.
     */
    WARN,
    /** Nothing to decide: the check does not apply here (no swarm, no containers) or reports a fact. */
    INFO,
    /**
     * The benchmark's check is a manual one (CIS "Manual"): Bulwark gathers the evidence, a human decides.
     */
    MANUAL,
    /** The check could not run (permission denied, file unreadable); the evidence says why. */
    ERROR
}
