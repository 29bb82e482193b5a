package dev.bulwark.harden.imagetest;

import dev.bulwark.model.AuditResult;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.model.SecretFinding;
import java.util.List;

/**
 * What the licence tests and security gates need to know about the image and that this module cannot work out
 * itself: the SBOM, vulnerability matching, secret scanning and audits live in modules above it. The CLI provides
 * the implementation; each method is called at most once per run and only when a test needs it.
 */
public interface ImageFacts {
    /** The image's packages (the SBOM), with their licences as SPDX ids or expressions. */
    List<Package> packages() throws BulwarkException, InterruptedException;

    /** Known vulnerabilities of those packages. */
    List<Finding> vulnerabilities() throws BulwarkException, InterruptedException;

    /** Secrets in every layer (deleted files included) and in the image config. */
    List<SecretFinding> secrets() throws BulwarkException, InterruptedException;

    /** Audit results on the image for a profile name or check ids. */
    List<AuditResult> audit(List<String> checks) throws BulwarkException, InterruptedException;

    /** Facts for a spec without licence tests or gates: every call is a programming error. */
    ImageFacts NONE = new ImageFacts() {
        @Override
        public List<Package> packages() {
            throw new IllegalStateException("no SBOM source");
        }

        @Override
        public List<Finding> vulnerabilities() {
            throw new IllegalStateException("no vulnerability source");
        }

        @Override
        public List<SecretFinding> secrets() {
            throw new IllegalStateException("no secret source");
        }

        @Override
        public List<AuditResult> audit(List<String> checks) {
            throw new IllegalStateException("no audit source");
        }
    };
}
