package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.host.Check.Verdict;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Section 4: images (as the daemon holds them) and the users containers run as. */
final class ImageChecks {
    private ImageChecks() {
    }

    private static final Pattern SECRET_NAME = Pattern.compile(
        "(?i).*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL).*");
    private static final Pattern UPDATE = Pattern.compile(
        "\\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\\s+(-[-\\w=]+\\s+)*(update|upgrade)\\b");
    private static final Pattern INSTALL = Pattern.compile(
        "\\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\\s+(-[-\\w=]+\\s+)*(install|add|in)\\b");

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(Check.of(new CheckInfo("4.1", "Ensure that a user for the container has been created", 4, 1, true,
            Severity.MEDIUM, "container, image"), ImageChecks::user));
        c.add(manual("4.2", "Ensure that containers use only trusted base images", Severity.HIGH,
            "which registries and base images are trusted is a policy decision",
            "Pull only from trusted registries; pin images by digest; verify signatures (bulwark verify)"));
        c.add(manual("4.3", "Ensure that unnecessary packages are not installed in the container", Severity.MEDIUM,
            "which packages an application needs cannot be decided automatically; list them with bulwark scan",
            "Build from minimal bases (distroless, -slim, alpine) and install only what the application needs"));
        c.add(manual("4.4", "Ensure images are scanned and rebuilt to include security patches", Severity.HIGH,
            "scan each image for known vulnerabilities: bulwark scan docker:<image>",
            "Rebuild images on patched base images regularly and redeploy their containers"));
        c.add(Check.host(new CheckInfo("4.5", "Ensure Content trust for Docker is Enabled", 4, 2, true, Severity.MEDIUM,
            "host"), ImageChecks::contentTrust));
        c.add(Check.image(new CheckInfo("4.6", "Ensure that HEALTHCHECK instructions have been added to container images",
            4, 1, true, Severity.LOW, "image"), ImageChecks::healthcheck));
        c.add(Check.image(new CheckInfo("4.7", "Ensure update instructions are not used alone in Dockerfiles", 4, 1, true,
            Severity.LOW, "image"), ImageChecks::updateAlone));
        c.add(manual("4.8", "Ensure setuid and setgid permissions are removed", Severity.MEDIUM,
            "setuid/setgid files live in the image layers, which this audit does not unpack",
            "RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true  (keep only the ones needed)"));
        c.add(Check.image(new CheckInfo("4.9", "Ensure that COPY is used instead of ADD in Dockerfiles", 4, 1, false,
            Severity.LOW, "image"), ImageChecks::add));
        c.add(Check.image(new CheckInfo("4.10", "Ensure secrets are not stored in Dockerfiles", 4, 1, false,
            Severity.HIGH, "image"), ImageChecks::secrets));
        c.add(manual("4.11", "Ensure only verified packages are installed", Severity.MEDIUM,
            "package signatures are checked by the package manager at build time, which the image does not record",
            "Install packages only from signed repositories (no --allow-unauthenticated, no curl | sh)"));
        c.add(manual("4.12", "Ensure all signed artifacts are validated", Severity.MEDIUM,
            "artifact signatures are validated at build and upload time, outside the daemon",
            "Validate signatures of artifacts before use and before upload (cosign verify, bulwark verify)"));
        return c;
    }

    private static Check manual(String id, String title, Severity sev, String why, String fix) {
        return Check.host(new CheckInfo(id, title, 4, 1, false, sev, "host"), f -> Verdict.review(why, fix));
    }

    // ------------------------------------------------------------------ 4.1

    static boolean isRoot(String user) {
        String u = user.strip();
        if (u.isEmpty()) return true;
        String name = u.contains(":") ? u.substring(0, u.indexOf(':')) : u;
        return name.equals("0") || name.equals("root");
    }

    private static List<AuditResult> user(Facts f, CheckInfo info) {
        List<AuditResult> out = new ArrayList<>();
        for (Container c : f.containers()) {
            String user = c.config().path("User").asText("");
            Verdict v = isRoot(user)
                ? Verdict.fail("Config.User=" + (user.isEmpty() ? "(empty): runs as root" : user),
                    "docker run -u 1000:1000 ... (or USER <uid> in the image's Dockerfile)")
                : Verdict.pass("Config.User=" + user);
            out.add(Check.result(info, v, c.name(), c.id()));
        }
        for (Image i : f.images()) {
            String user = i.config().path("User").asText("");
            Verdict v = isRoot(user)
                ? Verdict.fail("image Config.User=" + (user.isEmpty() ? "(empty): containers run as root unless -u is given" : user),
                    "Add 'RUN useradd -r -u 10001 app' and 'USER 10001' to the Dockerfile of " + i.name())
                : Verdict.pass("image Config.User=" + user);
            out.add(Check.result(info, v, i.name(), i.id()));
        }
        if (out.isEmpty()) out.add(Check.result(info, Verdict.info("no containers and no images"), "containers", ""));
        return out;
    }

    // ------------------------------------------------------------------ 4.5

    private static Verdict contentTrust(Facts f) throws Exception {
        String env = f.view.environment().getOrDefault("DOCKER_CONTENT_TRUST", "");
        if (env.equals("1")) return Verdict.pass("DOCKER_CONTENT_TRUST=1 in the auditing environment");
        for (String line : f.fs.read("/etc/environment").orElse("").split("\n")) {
            String l = line.strip().replace("\"", "").replace("'", "");
            if (l.startsWith("export ")) l = l.substring(7).strip();
            if (l.equals("DOCKER_CONTENT_TRUST=1")) return Verdict.pass("DOCKER_CONTENT_TRUST=1 in /etc/environment");
        }
        return Verdict.fail("DOCKER_CONTENT_TRUST is " + (env.isEmpty() ? "not set" : "'" + env + "'")
                + " in the auditing environment and not set in /etc/environment: unsigned images are pulled and run",
            "echo DOCKER_CONTENT_TRUST=1 | sudo tee -a /etc/environment (and log in again)");
    }

    // ------------------------------------------------------------------ 4.6

    private static Verdict healthcheck(Facts f, Image i) {
        JsonNode hc = i.config().path("Healthcheck");
        List<String> test = Container.strings(hc.path("Test"));
        if (test.isEmpty()) {
            return Verdict.fail("no HEALTHCHECK in the image config",
                "Add e.g. 'HEALTHCHECK --interval=30s CMD <probe> || exit 1' to the Dockerfile of " + i.name());
        }
        if (test.getFirst().equals("NONE")) {
            return Verdict.fail("HEALTHCHECK NONE disables the health check",
                "Replace HEALTHCHECK NONE by a real probe in the Dockerfile of " + i.name());
        }
        return Verdict.pass("HEALTHCHECK " + String.join(" ", test));
    }

    // ------------------------------------------------------------------ 4.7

    private static Verdict updateAlone(Facts f, Image i) {
        JsonNode h = f.history(i);
        List<String> alone = new ArrayList<>();
        int together = 0;
        for (JsonNode e : h) {
            String cmd = e.path("CreatedBy").asText("");
            if (cmd.contains("#(nop)")) continue;
            if (UPDATE.matcher(cmd).find()) {
                if (INSTALL.matcher(cmd).find()) {
                    together++;
                } else {
                    alone.add(abbreviate(cmd));
                }
            }
        }
        if (!alone.isEmpty()) {
            return Verdict.fail("update without install in the same layer: " + String.join(" | ", alone),
                "Join update and install in one RUN: RUN apt-get update && apt-get install -y --no-install-recommends "
                    + "<pkg>=<version> && rm -rf /var/lib/apt/lists/*");
        }
        return Verdict.pass(together == 0 ? "no package update instructions in the image history"
            : together + " layer(s) update and install together");
    }

    // ------------------------------------------------------------------ 4.9

    private static Verdict add(Facts f, Image i) {
        JsonNode h = f.history(i);
        List<String> adds = new ArrayList<>();
        // the oldest entry is the base image's root filesystem, always ADDed: skip it
        for (int k = 0; k < h.size() - 1; k++) {
            String cmd = h.get(k).path("CreatedBy").asText("");
            if (cmd.matches("(?s).*#\\(nop\\)\\s+ADD .*") || cmd.matches("(?s)^ADD .*")) adds.add(abbreviate(cmd));
        }
        if (adds.isEmpty()) return Verdict.pass("no ADD instruction above the base layer");
        return Verdict.review("ADD in the image history: " + String.join(" | ", adds)
                + "; confirm it does not fetch URLs or unpack untrusted archives",
            "Use COPY instead of ADD in the Dockerfile of " + i.name());
    }

    // ------------------------------------------------------------------ 4.10

    private static Verdict secrets(Facts f, Image i) {
        List<String> found = new ArrayList<>();
        for (String e : Container.strings(i.config().path("Env"))) {
            int eq = e.indexOf('=');
            String name = eq < 0 ? e : e.substring(0, eq);
            String value = eq < 0 ? "" : e.substring(eq + 1);
            if (SECRET_NAME.matcher(name).matches() && !value.isBlank() && !name.toUpperCase(Locale.ROOT).endsWith("_FILE")) {
                found.add(name);
            }
        }
        if (!found.isEmpty()) {
            return Verdict.fail("ENV with secret-like names and values in the image config: " + String.join(", ", found),
                "Remove the values from ENV/ARG in the Dockerfile of " + i.name()
                    + "; pass secrets at run time (docker run --env-file, docker secret, BuildKit --secret)");
        }
        return Verdict.review("no secret-like ENV names in the image config; layers and build arguments are not "
            + "inspected here (bulwark scan finds secrets in layers)", "");
    }

    private static String abbreviate(String cmd) {
        String c = cmd.replaceFirst("^/bin/sh -c ", "").strip();
        return c.length() > 160 ? c.substring(0, 157) + "..." : c;
    }
}
