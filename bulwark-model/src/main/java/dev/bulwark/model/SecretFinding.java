package dev.bulwark.model;

import java.util.Objects;

/**
 * A secret found in an image: in a file of some layer (possibly one a later layer deleted or replaced, which is
 * still in the image for anyone who pulls it) or in the image config (ENV, LABEL, history). Never holds the whole
 * secret: {@code match} is redacted where it was found.
 *
 * @param ruleId       the rule that matched ("aws-access-key-id", "private-key"...)
 * @param severity     how bad a leak of this kind is
 * @param title        what was found, one line
 * @param match        the match redacted: a short prefix, the rest masked
 * @param path         the file's absolute path, or where in the config ("config:ENV API_SECRET", "config:history[3]")
 * @param layer        diffID of the layer the file is in, or null for the config (or a root filesystem)
 * @param deletedLater true when a later layer deleted or replaced the file: invisible in the final filesystem, still
 *                     in the layer blobs
 * @param line         1-based line of the match, or 0 when not applicable
 */
public record SecretFinding(String ruleId, Severity severity, String title, String match, String path, Digest layer,
                            boolean deletedLater, int line) {
    public SecretFinding {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(path, "path");
        severity = severity == null ? Severity.UNKNOWN : severity;
        title = title == null ? "" : title;
        match = match == null ? "" : match;
    }
}
