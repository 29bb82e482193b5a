package dev.bulwark.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request, decoded, as the policy engine sees it: who asks, for which action, on what.
 *
 * @param source  where it came from: {@link #DOCKER} (the authorization plugin) or {@link #KUBERNETES} (admission)
 * @param user    who: for Docker the client certificate's common name (empty for an unauthenticated socket user),
 *                for Kubernetes userInfo.username
 * @param groups  the user's groups: for Docker mapped from the user by the policy, for Kubernetes userInfo.groups
 * @param action  the action group: "container.create", "image.pull", "system.info"... (see docs/policy.md)
 * @param object  the decoded request as CEL sees it: JSON-like values only (String, Long, Double, Boolean, List,
 *                Map with String keys), host paths already normalised
 */
public record PolicyRequest(String source, String user, List<String> groups, String action, Map<String, Object> object) {
    public static final String DOCKER = "docker";
    public static final String KUBERNETES = "kubernetes";

    public PolicyRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(action, "action");
        user = user == null ? "" : user;
        groups = groups == null ? List.of() : List.copyOf(groups);
        object = object == null ? Map.of() : object;
    }
}
