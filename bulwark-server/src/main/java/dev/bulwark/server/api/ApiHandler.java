package dev.bulwark.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.report.Reports;
import dev.bulwark.server.ServerException;
import dev.bulwark.server.store.Audits;
import dev.bulwark.server.store.Counts;
import dev.bulwark.server.store.FindingRow;
import dev.bulwark.server.store.Jobs;
import dev.bulwark.server.store.Results;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Tokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The REST API under /api/v1, /openapi.json, /healthz and the dashboard's static files. Every write needs a token
 * of the scan or admin role; reads need a read token unless the server runs with --dev-open-read. Errors are
 * RFC 9457 problem+json with one line of detail. No CORS headers unless an origin was configured.
 */
public final class ApiHandler extends Handler.Abstract {
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(100).build());
    }

    private final Tokens tokens;
    private final Jobs jobs;
    private final Results results;
    private final Audits audits;
    private final Settings settings;
    private final Runnable onSubmit;
    private final Consumer<String> log;
    private final Dashboard dashboard = new Dashboard();

    /** What the API needs to know of the server's configuration. */
    public record Settings(boolean devOpenRead, boolean allowLocalSources, long maxBodyBytes, String corsOrigin) {
    }

    public ApiHandler(Tokens tokens, Jobs jobs, Results results, Audits audits, Settings settings, Runnable onSubmit, Consumer<String> log) {
        this.tokens = tokens;
        this.jobs = jobs;
        this.results = results;
        this.audits = audits;
        this.settings = settings;
        this.onSubmit = onSubmit;
        this.log = log;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        if (settings.corsOrigin() != null) {
            response.getHeaders().put("Access-Control-Allow-Origin", settings.corsOrigin());
            response.getHeaders().put("Vary", "Origin");
            if ("OPTIONS".equals(method)) {
                response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST");
                response.getHeaders().put("Access-Control-Allow-Headers", "Authorization, Content-Type");
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
        }
        try {
            if (!path.startsWith("/api/") && !path.equals("/openapi.json") && !path.equals("/healthz")) {
                if (!"GET".equals(method) && !"HEAD".equals(method)) throw new Problem(405, "Method Not Allowed", method + " " + path + " is not allowed");
                dashboard.serve(path, response, callback);
                return true;
            }
            Routes.Route route = null;
            java.util.regex.Matcher m = null;
            boolean pathKnown = false;
            for (Routes.Route r : Routes.ALL) {
                java.util.regex.Matcher mm = r.match(path);
                if (!mm.matches()) continue;
                pathKnown = true;
                if (r.method().equals(method)) {
                    route = r;
                    m = mm;
                    break;
                }
            }
            if (route == null) {
                if (pathKnown) throw new Problem(405, "Method Not Allowed", method + " is not allowed on " + path);
                throw Problem.notFound("no such API path: " + path);
            }
            authorize(request, route.need());
            long id = m.groupCount() > 0 ? Long.parseLong(m.group(1)) : -1;
            Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            Object body = dispatch(route, id, q, request, response);
            if (body instanceof Raw raw) {
                send(response, callback, raw.status, raw.contentType, raw.bytes);
            } else {
                int status = body instanceof Accepted ? 202 : body instanceof CreatedBody ? 201 : 200;
                Object out = body instanceof Accepted a ? a.body : body instanceof CreatedBody cb ? cb.body : body;
                send(response, callback, status, "application/json", JSON.writeValueAsBytes(out));
            }
        } catch (Problem p) {
            problem(response, callback, p.status, p.title, p.getMessage(), path);
        } catch (ServerException e) {
            log.accept("bulwark serve: " + method + " " + path + ": " + e.oneLine());
            problem(response, callback, 503, "Service Unavailable", "the server's database did not answer; try again", path);
        } catch (JsonProcessingException | RuntimeException e) {
            log.accept("bulwark serve: " + method + " " + path + ": internal error: " + e);
            problem(response, callback, 500, "Internal Server Error", "internal error", path);
        }
        return true;
    }

    private void authorize(Request request, Routes.Need need) throws Problem, ServerException {
        if (need == Routes.Need.NONE) return;
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null) {
            if (need == Routes.Need.READ && settings.devOpenRead()) return;
            throw new Problem(401, "Unauthorized", "this needs a token: send Authorization: Bearer TOKEN");
        }
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) throw new Problem(401, "Unauthorized", "the Authorization header must be Bearer TOKEN");
        Optional<Role> role = tokens.authenticate(h.substring(7).strip());
        if (role.isEmpty()) throw new Problem(401, "Unauthorized", "unknown or revoked token");
        Role want = switch (need) {
            case READ -> Role.READ;
            case SCAN -> Role.SCAN;
            default -> Role.ADMIN;
        };
        if (!role.get().includes(want)) throw new Problem(403, "Forbidden", "this needs a token of the " + want.wire() + " role (yours: " + role.get().wire() + ")");
    }

    private record Raw(int status, String contentType, byte[] bytes) {
    }

    private record Accepted(Object body) {
    }

    private record CreatedBody(Object body) {
    }

    private Object dispatch(Routes.Route route, long id, Fields q, Request request, Response response)
            throws Problem, ServerException, JsonProcessingException {
        String key = route.method() + " " + route.template();
        return switch (key) {
            case "GET /healthz" -> new Raw(200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
            case "GET /openapi.json" -> new Raw(200, "application/json", OpenApi.document());
            case "GET /api/v1/images" -> images(q);
            case "GET /api/v1/images/{id}" -> image(id);
            case "GET /api/v1/images/{id}/findings" -> findings(id, q);
            case "GET /api/v1/images/{id}/changes" -> changes(id);
            case "GET /api/v1/images/{id}/sbom" -> sbom(id, q);
            case "GET /api/v1/trends" -> trends(q);
            case "GET /api/v1/audits" -> auditList();
            case "GET /api/v1/audits/{id}" -> audit(id);
            case "POST /api/v1/audits" -> new CreatedBody(postAudit(body(request)));
            case "GET /api/v1/decisions" -> decisions(q);
            case "POST /api/v1/decisions" -> new CreatedBody(postDecisions(body(request)));
            case "POST /api/v1/scans" -> new Accepted(postScan(body(request)));
            case "GET /api/v1/scans/{id}" -> scan(id);
            case "POST /api/v1/registry/events" -> new Accepted(registryEvents(body(request)));
            case "GET /api/v1/tokens" -> tokenList();
            case "POST /api/v1/tokens" -> new CreatedBody(postToken(body(request)));
            default -> throw Problem.notFound("no such API path: " + route.template());
        };
    }

    // ------------------------------------------------------------------ reads

    private Object images(Fields q) throws Problem, ServerException {
        Integer min = severity(q);
        List<Object> items = new ArrayList<>();
        for (Results.ImageSummary s : results.images(text(q, "q"), min)) items.add(imageJson(s));
        return Map.of("items", items);
    }

    private static Map<String, Object> imageJson(Results.ImageSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("reference", s.reference());
        m.put("digest", s.digest());
        m.put("lastScanAt", Results.iso(s.lastScanAt()));
        m.put("counts", s.counts().toMap());
        return m;
    }

    private Object image(long id) throws Problem, ServerException {
        Results.ImageSummary s = results.image(id).orElseThrow(() -> Problem.notFound("no image " + id));
        Map<String, Object> m = imageJson(s);
        m.put("packages", s.packages());
        List<Object> scans = new ArrayList<>();
        for (Results.ScanSummary sc : results.scans(id, 200)) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", sc.id());
            x.put("at", Results.iso(sc.at()));
            x.put("counts", sc.counts().toMap());
            scans.add(x);
        }
        m.put("scans", scans);
        return m;
    }

    private Object findings(long id, Fields q) throws Problem, ServerException {
        Integer min = severity(q);
        String fixable = text(q, "fixable");
        if (fixable != null && !fixable.equals("true") && !fixable.equals("false")) throw Problem.badRequest("fixable must be true or false");
        List<FindingRow> rows = results.findings(id, min, text(q, "q"), "true".equals(fixable))
                .orElseThrow(() -> Problem.notFound("no image " + id));
        List<Object> items = new ArrayList<>(rows.size());
        for (FindingRow r : rows) items.add(findingJson(r));
        return Map.of("items", items);
    }

    static Map<String, Object> findingJson(FindingRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vulnerability", r.vulnerability());
        m.put("severity", r.severity());
        m.put("package", r.packageName());
        m.put("version", r.version());
        m.put("fixedVersion", r.fixedVersion());
        m.put("type", r.type());
        m.put("layer", r.layer());
        m.put("path", r.path());
        m.put("title", r.title());
        return m;
    }

    /**
     * The image's SBOM from its latest stored inventory, rendered by bulwark-report as `bulwark sbom -f` does:
     * {@code format=cyclonedx} (default), {@code spdx} or {@code json} (Bulwark's inventory JSON).
     */
    private Object sbom(long id, Fields q) throws Problem, ServerException {
        String f = text(q, "format");
        dev.bulwark.report.ReportFormat format = switch (f == null ? "cyclonedx" : f) {
            case "cyclonedx" -> dev.bulwark.report.ReportFormat.CYCLONEDX;
            case "spdx" -> dev.bulwark.report.ReportFormat.SPDX;
            case "json" -> dev.bulwark.report.ReportFormat.JSON;
            default -> throw Problem.badRequest("format must be cyclonedx, spdx or json");
        };
        if (results.image(id).isEmpty()) throw Problem.notFound("no image " + id);
        byte[] stored = results.latestInventory(id).orElseThrow(() -> Problem.notFound("image " + id + " has no stored inventory yet"));
        try {
            dev.bulwark.model.Inventory inv = dev.bulwark.report.Reports.readInventoryJson(new java.io.ByteArrayInputStream(stored));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            dev.bulwark.report.Reports.write(inv, format, out, dev.bulwark.report.ReportOptions.defaults());
            return new Raw(200, format.mediaType(), out.toByteArray());
        } catch (java.io.IOException | dev.bulwark.report.ReportException e) {
            throw new ServerException("image " + id, "stored inventory cannot be rendered: " + e.getMessage(), e);
        }
    }

    private Object changes(long id) throws Problem, ServerException {
        List<Results.Change> ch = results.changes(id, 50).orElseThrow(() -> Problem.notFound("no image " + id));
        List<Object> items = new ArrayList<>();
        for (Results.Change c : ch) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scanId", c.scanId());
            m.put("at", Results.iso(c.at()));
            m.put("new", c.added().stream().map(ApiHandler::findingJson).toList());
            m.put("fixed", c.fixed().stream().map(ApiHandler::findingJson).toList());
            items.add(m);
        }
        return Map.of("items", items);
    }

    private Object trends(Fields q) throws Problem, ServerException {
        int days = integer(q, "days", 30, 1, 366);
        List<Object> items = new ArrayList<>();
        for (Results.Day d : results.trends(days, LocalDate.now(ZoneOffset.UTC))) {
            items.add(Map.of("day", d.day().toString(), "counts", d.counts().toMap()));
        }
        return Map.of("items", items);
    }

    private Object auditList() throws ServerException {
        List<Object> items = new ArrayList<>();
        for (Audits.Stored s : audits.list(200, ApiHandler::parseAudit)) items.add(auditJson(s, false));
        return Map.of("items", items);
    }

    private Object audit(long id) throws Problem, ServerException {
        return auditJson(audits.get(id, ApiHandler::parseAudit).orElseThrow(() -> Problem.notFound("no audit " + id)), true);
    }

    private static AuditReport parseAudit(byte[] json) throws IOException {
        try {
            return Reports.readAuditReportJson(new ByteArrayInputStream(json));
        } catch (dev.bulwark.report.ReportException e) {
            throw new IOException(e.oneLine(), e);
        }
    }

    private static Map<String, Object> auditJson(Audits.Stored s, boolean withResults) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("target", s.target());
        m.put("at", Results.iso(s.at()));
        m.put("score", s.score());
        List<Object> sections = new ArrayList<>();
        for (Audits.Section sec : s.sections()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("section", sec.section());
            x.put("title", sec.title());
            for (AuditStatus st : AuditStatus.values()) x.put(st.name().toLowerCase(Locale.ROOT), sec.statusCounts().getOrDefault(st, 0));
            sections.add(x);
        }
        m.put("sections", sections);
        if (withResults) {
            List<Object> res = new ArrayList<>();
            for (AuditResult r : s.report().results()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("id", r.checkId());
                x.put("title", r.title());
                x.put("section", Audits.section(r.checkId()));
                x.put("level", r.level());
                x.put("status", r.status().name());
                x.put("evidence", r.evidence());
                x.put("remediation", r.fix());
                x.put("subject", r.subject());
                x.put("location", r.location());
                res.add(x);
            }
            m.put("results", res);
        }
        return m;
    }

    private Object decisions(Fields q) throws Problem, ServerException {
        int limit = integer(q, "limit", 200, 1, Results.MAX_ROWS);
        String d = text(q, "decision");
        if (d != null && !d.equals("allow") && !d.equals("deny")) throw Problem.badRequest("decision must be allow or deny");
        List<Object> items = new ArrayList<>();
        for (Audits.Decision x : audits.decisions(limit, d)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", Results.iso(x.at()));
            m.put("source", x.source());
            m.put("user", x.user());
            m.put("action", x.action());
            m.put("decision", x.decision());
            m.put("rule", x.rule());
            m.put("message", x.message());
            m.put("image", x.image());
            items.add(m);
        }
        return Map.of("items", items);
    }

    private Object scan(long id) throws Problem, ServerException {
        Jobs.Job j = jobs.get(id).orElseThrow(() -> Problem.notFound("no scan " + id));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("reference", j.reference());
        m.put("kind", j.kind());
        m.put("status", j.status().wire());
        m.put("error", j.error());
        return m;
    }

    private Object tokenList() throws ServerException {
        List<Object> items = new ArrayList<>();
        for (Tokens.Info t : tokens.list()) {
            items.add(Map.of("id", t.id(), "name", t.name(), "role", t.role().wire(), "createdAt", Results.iso(t.createdAt()), "revoked", t.revoked()));
        }
        return Map.of("items", items);
    }

    // ------------------------------------------------------------------ writes

    private Object postScan(byte[] body) throws Problem, ServerException {
        JsonNode n = parse(body);
        JsonNode ref = n.get("reference");
        if (ref == null || !ref.isTextual() || ref.asText().isBlank()) throw Problem.badRequest("the body needs \"reference\": an image reference");
        String r = ScanReferences.normalise(ref.asText(), settings.allowLocalSources());
        long id = jobs.submit(Jobs.SCAN, r);
        onSubmit.run();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("reference", r);
        m.put("status", "queued");
        return m;
    }

    private Object registryEvents(byte[] body) throws Problem, ServerException {
        List<String> refs = RegistryEvents.pushedReferences(parse(body));
        List<Object> queued = new ArrayList<>();
        for (String r : refs) {
            String norm = ScanReferences.normalise(r, false);
            queued.add(Map.of("id", jobs.submit(Jobs.SCAN, norm), "reference", norm));
        }
        if (!refs.isEmpty()) onSubmit.run();
        return Map.of("queued", queued);
    }

    private Object postAudit(byte[] body) throws Problem, ServerException {
        AuditReport r;
        try {
            r = parseAudit(body);
        } catch (IOException e) {
            throw Problem.badRequest("not an audit report as 'bulwark audit -f json' writes it: " + e.getMessage());
        }
        long id = audits.save(r, body);
        return Map.of("id", id, "score", Audits.score(r));
    }

    private Object postDecisions(byte[] body) throws Problem, ServerException {
        String text = new String(body, StandardCharsets.UTF_8);
        List<Audits.Decision> list = new ArrayList<>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(l);
            } catch (JsonProcessingException e) {
                throw Problem.badRequest("line " + line + ": not JSON: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) throw Problem.badRequest("line " + line + ": not a JSON object");
            if (n.has("event")) continue; // server events (policy reloads) are not decisions
            String decision = str(n, "decision");
            if (decision == null) throw Problem.badRequest("line " + line + ": no \"decision\"");
            decision = decision.toLowerCase(Locale.ROOT);
            if (!decision.equals("allow") && !decision.equals("deny")) {
                // dry-run and audit-only modes let the request through: "would-deny", "warn"
                if (decision.startsWith("allow") || decision.startsWith("warn") || decision.startsWith("would")) decision = "allow";
                else if (decision.startsWith("deny") || decision.startsWith("denied")) decision = "deny";
                else throw Problem.badRequest("line " + line + ": decision must be allow or deny, not " + str(n, "decision"));
            }
            OffsetDateTime at;
            try {
                String t = str(n, "time") != null ? str(n, "time") : str(n, "at");
                at = t == null ? OffsetDateTime.now(ZoneOffset.UTC) : Instant.parse(t).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw Problem.badRequest("line " + line + ": time is not an ISO-8601 instant");
            }
            String source = str(n, "source");
            // the admission webhook's log says "kubernetes", the Docker plugin's "docker"
            String src = source == null ? "" : source.toLowerCase(Locale.ROOT);
            source = src.contains("admission") || src.contains("kubernetes") ? "admission" : "authz";
            String image = str(n, "image");
            if (image == null && n.path("object").isObject()) image = str(n.get("object"), "image");
            list.add(new Audits.Decision(at, source, str(n, "user"), str(n, "action"), decision, str(n, "rule"), str(n, "message"), image));
            if (list.size() > 10_000) throw new Problem(413, "Content Too Large", "at most 10000 decisions per request");
        }
        return Map.of("stored", audits.saveDecisions(list));
    }

    private Object postToken(byte[] body) throws Problem, ServerException {
        JsonNode n = parse(body);
        String name = str(n, "name");
        String role = str(n, "role");
        if (name == null || name.isBlank()) throw Problem.badRequest("the body needs \"name\"");
        Role r;
        try {
            r = Role.parse(role == null ? "read" : role);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        Tokens.Created c = tokens.create(name, r);
        return Map.of("id", c.id(), "token", c.token(), "role", r.wire());
    }

    // ------------------------------------------------------------------ helpers

    /** The request body, refused past the size bound without reading it all. */
    private byte[] body(Request request) throws Problem {
        long declared = request.getLength();
        long max = settings.maxBodyBytes();
        if (declared > max) throw new Problem(413, "Content Too Large", "the body is " + declared + " bytes; at most " + max + " are accepted");
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) throw new Problem(413, "Content Too Large", "the body is over " + max + " bytes");
            return b;
        } catch (IOException e) {
            throw Problem.badRequest("cannot read the body: " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] body) throws Problem {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) throw Problem.badRequest("the body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Problem.badRequest("cannot read the body: " + e.getMessage());
        }
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    private static String text(Fields q, String name) throws Problem {
        String v = q.getValue(name);
        if (v != null && v.length() > 500) throw Problem.badRequest(name + " is longer than 500 characters");
        return v == null || v.isBlank() ? null : v;
    }

    private static Integer severity(Fields q) throws Problem {
        String s = text(q, "severity");
        if (s == null) return null;
        try {
            return Counts.parseBucket(s);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    private static int integer(Fields q, String name, int dflt, int min, int max) throws Problem {
        String s = text(q, name);
        if (s == null) return dflt;
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw Problem.badRequest(name + " must be between " + min + " and " + max);
            return v;
        } catch (NumberFormatException e) {
            throw Problem.badRequest(name + " must be a whole number");
        }
    }

    static void send(Response response, Callback callback, int status, String contentType, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void problem(Response response, Callback callback, int status, String title, String detail, String instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "about:blank");
        m.put("title", title);
        m.put("status", status);
        m.put("detail", detail);
        m.put("instance", instance);
        if (status == 401) response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"bulwark\"");
        // a refused request's body may be unread, and is not drained: the connection ends with this answer, so that
        // the client does not send its next request on a connection the server is closing
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        byte[] b;
        try {
            b = JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            b = ("{\"title\":\"" + title + "\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
        send(response, callback, status, "application/problem+json", b);
    }
}
