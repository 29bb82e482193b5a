package dev.bulwark.model;

/** Verdicts of audit checks, in docker-bench-security's vocabulary. */
public enum AuditStatus {
    /** The subject complies. */
    PASS,
    /** The subject does not comply. */
    WARN,
    /** Compliance could not be decided automatically: a human must look (the evidence says what to look at). */
    INFO,
    /** The check does not apply here (no swarm, no TLS socket...). */
    NOTE,
    /** The check could not run (permission denied, file unreadable); the evidence says why. */
    ERROR
}
