package dev.bulwark.policy.admission;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.PolicyEngine;

/**
 * Applies a policy to one AdmissionReview: the pod spec of whatever workload it carries, each container a request
 * to the engine, combined into one decision (denied if any container is; warnings from audit-only rules). A seam
 * so the webhook's fail-closed paths can be tested with reviewers that fail on purpose.
 */
@FunctionalInterface
public interface Reviewer {
    /**
     * @param review the AdmissionReview JSON as the API server sent it
     * @throws BulwarkException when the object cannot be understood; the webhook then denies with this message
     */
    Decision review(PolicyEngine engine, byte[] review) throws BulwarkException;
}
