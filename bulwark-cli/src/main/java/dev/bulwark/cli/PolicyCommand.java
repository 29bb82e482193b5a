package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import dev.bulwark.policy.Fields;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.Policy;
import dev.bulwark.policy.PolicyException;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.RequestException;
import dev.bulwark.policy.check.PolicyTests;
import dev.bulwark.policy.docker.DockerApiRequest;
import dev.bulwark.policy.docker.DockerRequests;
import dev.bulwark.policy.kube.KubeAdmission;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `bulwark policy check|test|show-baseline|explain`: policies are code that guards the Docker socket, so they
 * are validated before they are served and tested like code (as `opa test` and `kyverno test` do).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check and test policy files (the rules of authz serve and admission serve).",
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Test.class, PolicyCommand.ShowBaseline.class, PolicyCommand.Explain.class})
final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("bulwark: give a subcommand: check, test, show-baseline or explain (see 'bulwark policy --help')");
        return ExitCode.USAGE.code;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate policy files: YAML, keys, rule names, actions, and every CEL condition compiled and type-checked.",
                    "Each problem is one line: FILE:LINE: rule NAME: what. Exit 0 when all are valid, 3 otherwise."})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Policy files (kind: Policy).")
        List<Path> files = new ArrayList<>();
        @Option(names = {"-q", "--quiet"}, description = "Print only problems.")
        boolean quiet;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int bad = 0;
            for (Path f : files) {
                try {
                    Policy p = Policies.load(f);
                    if (!quiet) {
                        out.println(f + ": ok: " + p.ruleNames().size() + " rules, default " + (p.defaultAllows() ? "allow" : "deny"));
                    }
                } catch (PolicyException e) {
                    err.println("bulwark: " + e.oneLine());
                    bad++;
                }
            }
            out.flush();
            return bad == 0 ? ExitCode.OK.code : ExitCode.INPUT.code;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run policy test cases (kind: PolicyTest): each a Docker API request or a Kubernetes AdmissionReview and the",
                    "expected decision. Prints PASS/FAIL per case; exit 1 when a case fails, 3 when a file cannot be used."})
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Test files, or directories searched for them.")
        List<Path> paths = new ArrayList<>();
        @Option(names = {"-v", "--verbose"}, description = "Show the decision of passing cases too.")
        boolean verbose;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int pass = 0, fail = 0;
            try {
                for (Path p : paths) {
                    for (PolicyTests.CaseResult r : PolicyTests.run(p)) {
                        if (r.passed()) {
                            pass++;
                            out.println("PASS: " + r.file() + ": " + r.name() + (verbose ? " (" + r.detail() + ")" : ""));
                        } else {
                            fail++;
                            out.println("FAIL: " + r.file() + ": " + r.name() + ": " + r.detail());
                        }
                    }
                }
            } catch (PolicyException e) {
                out.flush();
                err.println("bulwark: " + e.oneLine());
                return ExitCode.INPUT.code;
            }
            int total = pass + fail;
            out.println("-".repeat(80));
            out.println("PASS: " + pass + "/" + total);
            if (fail > 0) out.println("FAIL: " + fail + "/" + total);
            out.flush();
            return fail > 0 ? ExitCode.FINDINGS.code : ExitCode.OK.code;
        }
    }

    @Command(name = "show-baseline", mixinStandardHelpOptions = true,
            description = "Print the built-in baseline policy (extend it with 'extends: baseline' and params).")
    static final class ShowBaseline implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(Policies.baselineYaml());
            spec.commandLine().getOut().flush();
            return ExitCode.OK.code;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Decode one request as the plugin or the webhook would and show the variables rules see and the decision.",
                    "REQUEST is a dockerd AuthZReq (RequestMethod, RequestUri, RequestBody in base64) or an AdmissionReview, as JSON."})
    static final class Explain implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST", description = "A JSON file.")
        Path request;
        @Option(names = {"-p", "--policy"}, paramLabel = "FILE", description = "The policy (default: the built-in baseline).")
        Path policy;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Policy p = policy == null ? Policies.baseline() : Policies.load(policy);
                if (Files.size(request) > KubeAdmission.MAX_REVIEW) throw new RequestException(request.toString(), "larger than 3 MiB");
                byte[] bytes = Files.readAllBytes(request);
                JsonNode json;
                try {
                    // made here, not in a static field: picocli creates every command at start-up
                    json = new ObjectMapper().readTree(bytes);
                } catch (IOException e) {
                    throw new RequestException(request.toString(), "not JSON");
                }
                if (json == null || !json.isObject()) throw new RequestException(request.toString(), "not a JSON object");
                List<PolicyRequest> requests;
                Decision d;
                if ("AdmissionReview".equals(json.path("kind").asText())) {
                    requests = KubeAdmission.decode(bytes).requests();
                    d = KubeAdmission.decide(p, requests);
                } else if (json.has("RequestMethod") && json.has("RequestUri")) {
                    byte[] body = null;
                    if (json.path("RequestBody").isTextual()) {
                        try {
                            body = Base64.getDecoder().decode(json.get("RequestBody").asText());
                        } catch (IllegalArgumentException e) {
                            throw new RequestException(request.toString(), "RequestBody is not base64");
                        }
                    }
                    Map<String, String> headers = new LinkedHashMap<>();
                    json.path("RequestHeaders").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
                    DockerApiRequest req = new DockerApiRequest(json.get("RequestMethod").asText(), json.get("RequestUri").asText(), body,
                            headers, json.path("User").asText(""), json.path("UserAuthNMethod").asText(""));
                    PolicyRequest r = DockerRequests.decode(req, p::groupsOf);
                    requests = List.of(r);
                    d = p.decide(r);
                } else {
                    throw new RequestException(request.toString(), "neither an AuthZReq (RequestMethod, RequestUri) nor an AdmissionReview");
                }
                for (PolicyRequest r : requests) {
                    out.println("source: " + r.source() + "  user: " + r.user() + "  groups: " + r.groups() + "  action: " + r.action());
                    Map<String, Object> shown = new TreeMap<>(r.object());
                    shown.remove(Fields.BODY);
                    shown.forEach((k, v) -> out.println("  " + k + " = " + v));
                }
                out.println("decision: " + (d.allowed() ? "allow" : "deny") + " by " + d.rule() + (d.message().isEmpty() ? "" : ": " + d.message()));
                for (String w : d.warnings()) out.println("warning: " + w);
                out.flush();
                return ExitCode.OK.code;
            } catch (java.nio.file.NoSuchFileException e) {
                err.println("bulwark: " + e.getFile() + ": no such file");
                return ExitCode.INPUT.code;
            } catch (PolicyException | IOException e) {
                return ExitCode.report(e, err);
            }
        }
    }
}
