package dev.bulwark.image.testenv;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny Docker-registry token server (the "bearer token" flow of distribution's {@code auth.token}), JDK only.
 *
 * <p>{@code GET /token?service=S&scope=repository:NAME:pull,push} with HTTP basic auth answers
 * {@code {"token": JWT, "access_token": JWT, "expires_in": N, "issued_at": T}}; {@code POST /token} accepts the
 * OAuth2 password grant as form fields. The JWT is ES256 (raw R||S signature), signed by the leaf key that
 * {@code scripts/registry.sh} generated, with {@code x5c = [leaf, CA]} in its header: the registry on
 * 127.0.0.1:5002 verifies that chain against its {@code rootcertbundle} (the CA). Claims: iss, sub, aud (=
 * service), exp, nbf, iat, jti and {@code access} with exactly the actions requested.
 *
 * <p>Wrong or missing credentials give 401 (unless {@link #anonymousPull(boolean)} is on: then a request without
 * credentials gets a token granting only {@code pull}). A wrong {@code service} gives 400.
 *
 * <p>From a test: {@code try (var ts = TokenServer.fromAuthDir(TestComponents.registryAuthDir()).start()) {...}},
 * or the shared {@link TestComponents#tokenServer()}. From a shell (JDK 22+ source launcher):
 * {@code java bulwark-image/src/test/java/dev/bulwark/image/testenv/TokenServer.java AUTH_DIR [PORT]} runs until
 * killed.
 */
public final class TokenServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 5012;
    public static final String SERVICE = "bulwark-registry";
    public static final String ISSUER = "bulwark-test";
    public static final String USER = "bulwark";
    public static final String PASSWORD = "s3cret";

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final List<String> x5c;
    private final int requestedPort;
    private String service = SERVICE;
    private String issuer = ISSUER;
    private String user = USER;
    private String password = PASSWORD;
    private int expiresIn = 300;
    private boolean anonymousPull;

    private final List<Grant> grants = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    /** One issued token: who asked and for what. */
    public record Grant(String subject, String service, List<Access> access) {}

    /** One {@code access} claim entry. */
    public record Access(String type, String name, List<String> actions) {}

    public TokenServer(PrivateKey signingKey, List<Certificate> chain, int port) {
        this.key = signingKey;
        this.requestedPort = port;
        List<String> encoded = new ArrayList<>();
        try {
            for (Certificate c : chain) {
                encoded.add(Base64.getEncoder().encodeToString(c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encode certificate chain", e);
        }
        this.x5c = List.copyOf(encoded);
    }

    /** Reads {@code token.key} (PKCS#8 PEM), {@code token.crt} and {@code ca.crt} from dir; port 5012. */
    public static TokenServer fromAuthDir(Path dir) throws IOException {
        return fromAuthDir(dir, DEFAULT_PORT);
    }

    public static TokenServer fromAuthDir(Path dir, int port) throws IOException {
        try {
            PrivateKey key = readPkcs8(dir.resolve("token.key"));
            List<Certificate> chain = new ArrayList<>();
            chain.addAll(readCerts(dir.resolve("token.crt")));
            chain.addAll(readCerts(dir.resolve("ca.crt")));
            return new TokenServer(key, chain, port);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read token signing material in " + dir + ": " + e.getMessage(), e);
        }
    }

    public TokenServer service(String s) { this.service = s; return this; }
    public TokenServer issuer(String s) { this.issuer = s; return this; }
    public TokenServer credentials(String u, String p) { this.user = u; this.password = p; return this; }
    public TokenServer expiresIn(int seconds) { this.expiresIn = seconds; return this; }
    public TokenServer anonymousPull(boolean on) { this.anonymousPull = on; return this; }

    public synchronized TokenServer start() throws IOException {
        if (server != null) {
            return this;
        }
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        HttpServer s = HttpServer.create(new InetSocketAddress(loopback, requestedPort), 16);
        s.createContext("/token", this::handle);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "token-server");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.start();
        server = s;
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            executor = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("token server not started");
        }
        return server.getAddress().getPort();
    }

    /** The realm a registry should advertise for this server. */
    public String realm() {
        return "http://127.0.0.1:" + port() + "/token";
    }

    /** Tokens issued so far, oldest first. */
    public List<Grant> grants() {
        return List.copyOf(grants);
    }

    /** Requests refused (bad credentials, bad service, bad request). */
    public int rejected() {
        return rejected.get();
    }

    public void reset() {
        grants.clear();
        rejected.set(0);
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<String>> params;
            String subject;
            boolean oauthForm = false;
            switch (ex.getRequestMethod()) {
                case "GET" -> {
                    params = parseForm(ex.getRequestURI().getRawQuery());
                    subject = authenticate(ex.getRequestHeaders().getFirst("Authorization"));
                }
                case "POST" -> {
                    oauthForm = true;
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readNBytes(64 * 1024);
                    }
                    params = parseForm(new String(body, StandardCharsets.UTF_8));
                    String grantType = first(params, "grant_type");
                    if (!"password".equals(grantType)) {
                        reply(ex, 400, "{\"error\":\"unsupported_grant_type\"}", null);
                        return;
                    }
                    String u = first(params, "username");
                    String p = first(params, "password");
                    subject = user.equals(u) && password.equals(p) ? u : null;
                    if (subject == null) {
                        reply(ex, 401, "{\"error\":\"invalid_grant\"}", null);
                        return;
                    }
                }
                default -> {
                    reply(ex, 405, error("UNSUPPORTED", "method not allowed"), null);
                    return;
                }
            }
            if (subject == null && !(anonymousPull && ex.getRequestHeaders().getFirst("Authorization") == null)) {
                reply(ex, 401, error("UNAUTHORIZED", "authentication required"), "Basic realm=\"bulwark-token\"");
                return;
            }
            String svc = first(params, "service");
            if (svc == null || !svc.equals(service)) {
                reply(ex, 400, error("INVALID_REQUEST", "unknown service: " + svc), null);
                return;
            }
            List<Access> access;
            try {
                access = parseScopes(params.getOrDefault("scope", List.of()), subject == null);
            } catch (IllegalArgumentException e) {
                reply(ex, 400, error("INVALID_REQUEST", e.getMessage()), null);
                return;
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String sub = subject == null ? "" : subject;
            String jwt = sign(sub, svc, access, now);
            grants.add(new Grant(sub, svc, access));
            StringBuilder json = new StringBuilder("{");
            if (!oauthForm) {
                json.append("\"token\":").append(q(jwt)).append(',');
            }
            json.append("\"access_token\":").append(q(jwt))
                .append(",\"expires_in\":").append(expiresIn)
                .append(",\"issued_at\":").append(q(now.toString()));
            if (oauthForm) {
                json.append(",\"scope\":").append(q(String.join(" ", params.getOrDefault("scope", List.of()))));
            }
            json.append('}');
            reply(ex, 200, json.toString(), null);
        } catch (RuntimeException | GeneralSecurityException e) {
            try {
                reply(ex, 500, error("INTERNAL", String.valueOf(e)), null);
            } catch (IOException ignored) {
                // the client went away
            }
        }
    }

    private String authenticate(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String u = decoded.substring(0, colon);
        String p = decoded.substring(colon + 1);
        return user.equals(u) && password.equals(p) ? u : null;
    }

    private void reply(HttpExchange ex, int status, String body, String wwwAuthenticate) throws IOException {
        if (status >= 400) {
            rejected.incrementAndGet();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (wwwAuthenticate != null) {
            ex.getResponseHeaders().set("WWW-Authenticate", wwwAuthenticate);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String error(String code, String message) {
        return "{\"errors\":[{\"code\":" + q(code) + ",\"message\":" + q(message) + "}]}";
    }

    // ---------------------------------------------------------------- scopes and JWT

    /** "repository:NAME:pull,push" (the name may hold ':' after a host:port); several per param, space-separated. */
    static List<Access> parseScopes(List<String> scopeParams, boolean anonymous) {
        Map<String, Set<String>> merged = new LinkedHashMap<>();
        for (String param : scopeParams) {
            for (String scope : param.trim().split(" +")) {
                if (scope.isEmpty()) {
                    continue;
                }
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first <= 0 || last == first) {
                    throw new IllegalArgumentException("malformed scope: " + scope);
                }
                String type = scope.substring(0, first);
                String name = scope.substring(first + 1, last);
                Set<String> actions = merged.computeIfAbsent(type + '\u0000' + name, k -> new LinkedHashSet<>());
                for (String a : scope.substring(last + 1).split(",")) {
                    if (!a.isEmpty() && (!anonymous || a.equals("pull"))) {
                        actions.add(a);
                    }
                }
            }
        }
        List<Access> out = new ArrayList<>();
        merged.forEach((k, v) -> {
            int sep = k.indexOf('\u0000');
            out.add(new Access(k.substring(0, sep), k.substring(sep + 1), List.copyOf(v)));
        });
        return out;
    }

    private String sign(String subject, String aud, List<Access> access, Instant now) throws GeneralSecurityException {
        StringBuilder header = new StringBuilder("{\"typ\":\"JWT\",\"alg\":\"ES256\",\"x5c\":[");
        for (int i = 0; i < x5c.size(); i++) {
            header.append(i == 0 ? "" : ",").append(q(x5c.get(i)));
        }
        header.append("]}");
        byte[] jti = new byte[16];
        RANDOM.nextBytes(jti);
        StringBuilder claims = new StringBuilder("{")
            .append("\"iss\":").append(q(issuer))
            .append(",\"sub\":").append(q(subject))
            .append(",\"aud\":").append(q(aud))
            .append(",\"exp\":").append(now.getEpochSecond() + expiresIn)
            .append(",\"nbf\":").append(now.getEpochSecond() - 1)
            .append(",\"iat\":").append(now.getEpochSecond())
            .append(",\"jti\":").append(q(HexFormat.of().formatHex(jti)))
            .append(",\"access\":[");
        for (int i = 0; i < access.size(); i++) {
            Access a = access.get(i);
            claims.append(i == 0 ? "" : ",")
                .append("{\"type\":").append(q(a.type()))
                .append(",\"name\":").append(q(a.name()))
                .append(",\"actions\":[");
            for (int j = 0; j < a.actions().size(); j++) {
                claims.append(j == 0 ? "" : ",").append(q(a.actions().get(j)));
            }
            claims.append("]}");
        }
        claims.append("]}");
        String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + '.'
            + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        // JWS ES256 wants the raw 64-byte R||S form, which is what the P1363 variant produces.
        Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
        sig.initSign(key);
        sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + '.' + B64URL.encodeToString(sig.sign());
    }

    // ---------------------------------------------------------------- small helpers

    private static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A JSON string literal. */
    static String q(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static PrivateKey readPkcs8(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < 0) {
            throw new GeneralSecurityException(pem + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String b64 = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static List<Certificate> readCerts(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            return certs;
        }
    }

    /** {@code java TokenServer.java AUTH_DIR [PORT]}: serve until killed. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java TokenServer.java AUTH_DIR [PORT]");
            System.exit(2);
        }
        int port = args.length == 2 ? Integer.parseInt(args[1]) : DEFAULT_PORT;
        TokenServer ts = fromAuthDir(Path.of(args[0]), port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(ts::stop));
        Thread.currentThread().join();
    }
}
