package dev.bulwark.model;

import java.util.List;
import java.util.Objects;

/**
 * What a policy decided about one request (a Docker API call, a Kubernetes admission review).
 *
 * @param allowed  true to let the request through
 * @param rule     the name of the rule that decided, or "default" when none matched, or a reason of the engine
 *                 itself ("unparsable-request", "internal-error") when it failed closed
 * @param message  why, for the user whose request it was (dockerd and kube-apiserver show it to them)
 * @param warnings messages of audit-only rules that matched but do not decide (admission warnings, log lines)
 */
public record Decision(boolean allowed, String rule, String message, List<String> warnings) {
    public Decision {
        Objects.requireNonNull(rule, "rule");
        message = message == null ? "" : message;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public static Decision allow(String rule, String message) {
        return new Decision(true, rule, message, List.of());
    }

    public static Decision deny(String rule, String message) {
        return new Decision(false, rule, message, List.of());
    }
}
