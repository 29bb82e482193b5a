package dev.bulwark.model;

/**
 * A finding left out of the results, and why: kept so that reports can list what was suppressed.
 *
 * @param finding the finding
 * @param by      what suppressed it: "ignorefile", "openvex", "cyclonedx-vex"
 * @param reason  the justification given (VEX justification, ignore file comment), or empty
 * @param where   the file (and line or statement) that said so
 */
public record Suppression(Finding finding, String by, String reason, String where) {
}
