package dev.bulwark.model;

import java.util.Objects;

/**
 * One image-hygiene problem (CIS Docker Benchmark section 4 checks in the spirit of Dockle, and efficiency checks in
 * the spirit of dive). Only problems are listed: an image that passes a check has no entry for it.
 *
 * @param checkId  "CIS-4.1" for a CIS benchmark recommendation, else Bulwark's own ("BW-H-WASTE", "BW-H-CACHE"...)
 * @param title    what the check wants, one line
 * @param severity how much it matters
 * @param subject  what the problem is in: "image config", "history", or an absolute file path
 * @param layer    diffID of the layer concerned, or null
 * @param evidence what was seen ("User is empty (root)", "mode 4755", "4.0 MiB deleted in layer 12")
 * @param fix      the change that fixes it
 */
public record HygieneFinding(String checkId, String title, Severity severity, String subject, Digest layer,
                             String evidence, String fix) {
    public HygieneFinding {
        Objects.requireNonNull(checkId, "checkId");
        title = title == null ? "" : title;
        severity = severity == null ? Severity.UNKNOWN : severity;
        subject = subject == null ? "" : subject;
        evidence = evidence == null ? "" : evidence;
        fix = fix == null ? "" : fix;
    }
}
