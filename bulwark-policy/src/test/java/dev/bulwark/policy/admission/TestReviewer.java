package dev.bulwark.policy.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.RequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reviewer for the webhook's own tests, independent of the policy language: finds the pod spec of a Pod,
 * a workload template or a CronJob, denies privileged containers and hostNetwork, warns about images named
 * "audit/...". Unknown kinds cannot be reviewed (an exception, as the real reviewer's).
 */
final class TestReviewer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestReviewer() {
    }

    static final Reviewer REVIEWER = (engine, review) -> {
        JsonNode root;
        try {
            root = JSON.readTree(review);
        } catch (IOException e) {
            throw new RequestException("review", "not JSON");
        }
        JsonNode obj = root.path("request").path("object");
        String kind = obj.path("kind").asText();
        JsonNode spec = switch (kind) {
            case "Pod" -> obj.path("spec");
            case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "ReplicationController" -> obj.path("spec").path("template").path("spec");
            case "CronJob" -> obj.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> throw new RequestException("review", "kind " + kind + " has no pod spec the test reviewer knows");
        };
        if (spec.path("hostNetwork").asBoolean()) return Decision.deny("no-host-network", "hostNetwork is not allowed");
        List<String> warnings = new ArrayList<>();
        for (String list : new String[]{"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c.path("securityContext").path("privileged").asBoolean()) {
                    return Decision.deny("no-privileged", "container " + c.path("name").asText() + " is privileged");
                }
                if (c.path("image").asText().startsWith("audit/")) warnings.add("container " + c.path("name").asText() + ": image is audited");
            }
        }
        return new Decision(true, "default", "", warnings);
    };

    static byte[] payload(String name) {
        try (InputStream in = TestReviewer.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
