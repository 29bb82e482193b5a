package dev.bulwark.policy;

import dev.bulwark.model.Decision;

/**
 * The facade of this module: decides requests by a policy. Implementations are immutable and thread-safe (the
 * plugin and the webhook decide requests on many threads; a reload swaps in a new engine), and never throw:
 * a failure to evaluate is a deny that says why (fail closed).
 */
public interface PolicyEngine {
    Decision decide(PolicyRequest request);
}
