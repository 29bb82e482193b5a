package dev.bulwark.policy.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.Policy;
import dev.bulwark.policy.PolicyException;
import dev.bulwark.policy.RequestException;
import dev.bulwark.policy.Yamls;
import dev.bulwark.policy.docker.DockerApiRequest;
import dev.bulwark.policy.docker.DockerRequests;
import dev.bulwark.policy.kube.KubeAdmission;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs policy test files, as {@code opa test} and {@code kyverno test} do: each case is a request (a Docker API
 * call as dockerd would pass it to the plugin, or a Kubernetes AdmissionReview) and the decision expected of the
 * policy, optionally with the rule that must decide and the audit rules that must warn. Requests go through the
 * same decoders as in production, so a case also tests decoding.
 */
public final class PolicyTests {
    public static final String KIND = "PolicyTest";
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "policy", "params", "cases");
    private static final Set<String> CASE = Set.of("name", "docker", "kubernetes", "expect", "rule", "warnings");
    private static final Set<String> DOCKER = Set.of("method", "uri", "user", "body", "headers");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyTests() {
    }

    /** The outcome of one case. */
    public record CaseResult(String file, String name, boolean passed, String detail, Decision decision) {
    }

    /** Every case of a file, or of every test file under a directory (files of kind PolicyTest; others skipped). */
    public static List<CaseResult> run(Path fileOrDir) throws PolicyException {
        List<CaseResult> out = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(fileOrDir, 8)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
            } catch (IOException e) {
                throw new PolicyException(fileOrDir.toString(), "cannot be read: " + e.getMessage(), e);
            }
            int tests = 0;
            for (Path f : files) {
                Node root = read(f);
                if (!KIND.equals(scalar(Yamls.get(root, "kind")))) continue;
                tests++;
                out.addAll(runFile(f, root));
            }
            if (tests == 0) throw new PolicyException(fileOrDir.toString(), "no test files (kind: " + KIND + ") in this directory", null);
            return out;
        }
        Node root = read(fileOrDir);
        return runFile(fileOrDir, root);
    }

    private static Node read(Path f) throws PolicyException {
        String name = f.toString();
        try {
            if (!Files.exists(f)) throw new PolicyException(name, "no such file", null);
            if (Files.size(f) > Yamls.MAX_BYTES) throw new PolicyException(name, "refused: too large", null);
            return Yamls.load(name, Files.readString(f, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PolicyException(name, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new PolicyException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<CaseResult> runFile(Path f, Node root) throws PolicyException {
        String file = f.toString();
        if (!(root instanceof MappingNode)) throw at(file, root, "a test file is a mapping (apiVersion, kind, policy, cases)");
        keys(file, root, TOP, null);
        if (!"bulwark.dev/v1".equals(scalar(Yamls.get(root, "apiVersion")))) throw at(file, root, "apiVersion must be bulwark.dev/v1");
        if (!KIND.equals(scalar(Yamls.get(root, "kind")))) throw at(file, root, "kind must be " + KIND);
        String policyRef = scalar(Yamls.get(root, "policy"));
        if (policyRef == null || policyRef.isBlank()) throw at(file, root, "policy is required (a file relative to this one, or \"baseline\")");
        Node paramsNode = Yamls.get(root, "params");
        Policy policy;
        try {
            if (policyRef.equals("baseline")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> params = paramsNode == null ? Map.of() : (Map<String, Object>) Yamls.toJava(paramsNode);
                policy = params == null || params.isEmpty() ? Policies.baseline() : Policies.baseline(params);
            } else {
                if (paramsNode != null) throw at(file, paramsNode, "params apply only to policy: baseline (put them in the policy file)");
                Path p = f.toAbsolutePath().getParent().resolve(policyRef).normalize();
                policy = Policies.load(p);
            }
        } catch (ClassCastException e) {
            throw at(file, paramsNode, "params must be a mapping");
        }
        Node cases = Yamls.get(root, "cases");
        if (!(cases instanceof SequenceNode seq) || seq.getValue().isEmpty()) throw at(file, root, "cases must be a non-empty list");
        List<CaseResult> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node c : seq.getValue()) {
            if (!(c instanceof MappingNode)) throw at(file, c, "a case is a mapping (name, docker or kubernetes, expect)");
            String name = scalar(Yamls.get(c, "name"));
            if (name == null || name.isBlank()) throw at(file, c, "a case needs a name");
            keys(file, c, CASE, name);
            if (!names.add(name)) throw at(file, c, "case " + name + ": an earlier case has this name");
            String expect = scalar(Yamls.get(c, "expect"));
            if (!"allow".equals(expect) && !"deny".equals(expect)) throw at(file, c, "case " + name + ": expect must be allow or deny");
            String rule = scalar(Yamls.get(c, "rule"));
            List<String> warnings = new ArrayList<>();
            Node w = Yamls.get(c, "warnings");
            if (w instanceof SequenceNode ws) for (Node x : ws.getValue()) warnings.add(scalar(x));
            else if (w != null) warnings.add(scalar(w));
            Node docker = Yamls.get(c, "docker");
            Node kube = Yamls.get(c, "kubernetes");
            if ((docker == null) == (kube == null)) throw at(file, c, "case " + name + ": give exactly one of docker or kubernetes");
            Decision d = docker != null ? docker(file, name, docker, policy) : kubernetes(file, name, kube, policy);
            out.add(judge(file, name, Yamls.line(c), expect.equals("allow"), rule, warnings, d));
        }
        return out;
    }

    private static Decision docker(String file, String name, Node n, Policy policy) throws PolicyException {
        if (!(n instanceof MappingNode)) throw at(file, n, "case " + name + ": docker must be a mapping (method, uri, user, body)");
        keys(file, n, DOCKER, name);
        String method = scalar(Yamls.get(n, "method"));
        String uri = scalar(Yamls.get(n, "uri"));
        if (method == null || uri == null) throw at(file, n, "case " + name + ": docker needs method and uri");
        String user = scalar(Yamls.get(n, "user"));
        Node bodyNode = Yamls.get(n, "body");
        byte[] body = null;
        Map<String, String> headers = new LinkedHashMap<>();
        if (bodyNode instanceof ScalarNode s && !s.getTag().getValue().endsWith(":null")) {
            body = s.getValue().getBytes(StandardCharsets.UTF_8);
        } else if (bodyNode != null && !(bodyNode instanceof ScalarNode)) {
            try {
                body = JSON.writeValueAsBytes(Yamls.toJava(bodyNode));
            } catch (IOException e) {
                throw at(file, bodyNode, "case " + name + ": body cannot be written as JSON");
            }
            headers.put("Content-Type", "application/json");
        }
        Node h = Yamls.get(n, "headers");
        if (h instanceof MappingNode hm) {
            for (NodeTuple t : hm.getValue()) headers.put(scalar(t.getKeyNode()), scalar(t.getValueNode()));
        }
        DockerApiRequest req = new DockerApiRequest(method, uri, body, headers, user, user == null || user.isEmpty() ? "" : "TLS");
        try {
            return policy.decide(DockerRequests.decode(req, policy::groupsOf));
        } catch (RequestException e) {
            return Decision.deny("unparsable-request", e.oneLine());
        }
    }

    private static Decision kubernetes(String file, String name, Node n, Policy policy) throws PolicyException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(Yamls.toJava(n));
        } catch (IOException e) {
            throw at(file, n, "case " + name + ": kubernetes cannot be written as JSON");
        }
        return KubeAdmission.review(policy, json).decision();
    }

    private static CaseResult judge(String file, String name, int line, boolean allow, String rule, List<String> warnings, Decision d) {
        String where = file + ":" + line;
        String got = (d.allowed() ? "allow" : "deny") + " by " + d.rule() + (d.message().isEmpty() ? "" : " (" + d.message() + ")");
        if (d.allowed() != allow) return new CaseResult(where, name, false, "expected " + (allow ? "allow" : "deny") + ", got " + got, d);
        if (rule != null && !rule.equals(d.rule())) return new CaseResult(where, name, false, "expected rule " + rule + ", got " + got, d);
        for (String w : warnings) {
            if (d.warnings().stream().noneMatch(x -> x.startsWith(w + ":"))) {
                return new CaseResult(where, name, false, "expected a warning of rule " + w + ", got " + (d.warnings().isEmpty() ? "none" : d.warnings()), d);
            }
        }
        return new CaseResult(where, name, true, got, d);
    }

    private static void keys(String file, Node map, Set<String> allowed, String caseName) throws PolicyException {
        for (NodeTuple t : ((MappingNode) map).getValue()) {
            String k = scalar(t.getKeyNode());
            if (!allowed.contains(k)) {
                throw at(file, t.getKeyNode(), (caseName == null ? "" : "case " + caseName + ": ") + "unknown key \"" + k
                        + "\" (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s && !s.getTag().getValue().endsWith(":null") ? s.getValue() : null;
    }

    private static PolicyException at(String file, Node n, String message) {
        int line = Yamls.line(n);
        return new PolicyException(line > 0 ? file + ":" + line : file, message, null);
    }
}
