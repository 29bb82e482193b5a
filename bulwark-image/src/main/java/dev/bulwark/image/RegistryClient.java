package dev.bulwark.image;

import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution (Docker Registry HTTP API v2): manifests and blobs, with anonymous, basic and
 * bearer-token authentication. Everything read is bounded; blobs are streamed.
 */
final class RegistryClient {
    static final String ACCEPT = String.join(", ", ImageDocuments.OCI_INDEX, ImageDocuments.OCI_MANIFEST,
            ImageDocuments.DOCKER_LIST, ImageDocuments.DOCKER_MANIFEST);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    record Manifest(byte[] body, String mediaType, Digest digest) {
    }

    private final ImageRef ref;
    private final URI base;
    private final RegistryCredentials credentials;
    private final Limits limits;
    private final HttpClient http;
    private final Map<String, String> authorization = new ConcurrentHashMap<>();

    RegistryClient(ImageRef ref, RegistryCredentials credentials, boolean plainHttp, Limits limits) {
        this.ref = ref;
        this.credentials = credentials;
        this.limits = limits;
        String host = ref.registry().equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : ref.registry();
        boolean http = plainHttp || isLoopback(host);
        this.base = URI.create((http ? "http://" : "https://") + host + "/v2/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Docker, too, speaks plain HTTP to registries on the loopback interface. */
    static boolean isLoopback(String host) {
        String h = host.replaceFirst(":\\d+$", "");
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]");
    }

    String where() {
        return "registry " + ref.familiar();
    }

    Manifest manifest(String reference) throws ImageException {
        HttpResponse<InputStream> r = get("manifests/" + reference, ACCEPT);
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(limits.maxMetadataBytes() + 1);
            if (body.length > limits.maxMetadataBytes())
                throw new ImageException(where(), "manifest is larger than " + limits.maxMetadataBytes() + " bytes");
            Digest actual = Digest.sha256(body);
            if (reference.startsWith("sha256:") && !actual.toString().equals(reference))
                throw new ImageException(where(), "manifest digest mismatch: asked for " + reference + ", content hashes to " + actual);
            String ct = r.headers().firstValue("Content-Type").orElse("");
            int semi = ct.indexOf(';');
            return new Manifest(body, semi < 0 ? ct.trim() : ct.substring(0, semi).trim(), actual);
        } catch (IOException e) {
            throw new ImageException(where(), "reading manifest: " + BlobImageSource.describe(e), e);
        }
    }

    /** A blob's body, unverified: callers wrap it to check the digest and size as it streams. */
    InputStream blob(Digest digest) throws ImageException {
        return get("blobs/" + digest, null).body();
    }

    byte[] smallBlob(Digest digest, Long size) throws ImageException {
        try (InputStream in = blob(digest)) {
            byte[] data = in.readNBytes(limits.maxMetadataBytes() + 1);
            if (data.length > limits.maxMetadataBytes())
                throw new ImageException(where(), "blob " + digest + " is larger than " + limits.maxMetadataBytes() + " bytes");
            ImageDocuments.verify(data, digest, size, where());
            return data;
        } catch (IOException e) {
            throw new ImageException(where(), "reading blob " + digest + ": " + BlobImageSource.describe(e), e);
        }
    }

    private HttpResponse<InputStream> get(String path, String accept) throws ImageException {
        URI uri = base.resolve(ref.repository() + "/" + path);
        String scope = "repository:" + ref.repository() + ":pull";
        HttpResponse<InputStream> r = send(uri, accept, authorization.get(scope));
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            discard(r);
            String auth = authenticate(challenge, scope);
            authorization.put(scope, auth);
            r = send(uri, accept, auth);
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                discard(r);
                throw new ImageException(where(), "access denied (HTTP " + r.statusCode() + ")"
                        + (credentials == null ? ": the registry wants credentials (--username/--password or docker login)" : ": check the credentials"));
            }
        }
        int code = r.statusCode();
        if (code == 200) return r;
        discard(r);
        if (code == 404) throw new ImageException(where(), path.startsWith("manifests/")
                ? "no such image or tag (manifest " + path.substring(10) + " unknown)" : "blob " + path.substring(6) + " not found");
        if (code == 403) throw new ImageException(where(), "access denied (HTTP 403)");
        if (code == 429) throw new ImageException(where(), "rate limited by the registry (HTTP 429); try again later or log in");
        throw new ImageException(where(), "unexpected HTTP " + code + " for " + uri.getPath());
    }

    private HttpResponse<InputStream> send(URI uri, String accept, String auth) throws ImageException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET();
        if (accept != null) b.header("Accept", accept);
        if (auth != null) b.header("Authorization", auth);
        b.header("User-Agent", "bulwark");
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new ImageException(where(), "cannot connect to " + uri.getAuthority() + " (connection refused or unreachable)");
        } catch (HttpTimeoutException e) {
            throw new ImageException(where(), "timed out talking to " + uri.getAuthority());
        } catch (IOException e) {
            throw new ImageException(where(), "cannot talk to " + uri.getAuthority() + ": " + BlobImageSource.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException(where(), "interrupted");
        }
    }

    /** Answers a 401 challenge: Basic with the credentials, or Bearer by fetching a token from the realm. */
    private String authenticate(String challenge, String scope) throws ImageException {
        String lower = challenge.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("basic")) {
            if (credentials == null)
                throw new ImageException(where(), "the registry wants a username and password (--username/--password or docker login)");
            return credentials.basicHeader();
        }
        if (!lower.startsWith("bearer")) throw new ImageException(where(), "unsupported authentication challenge '" + challenge + "'");
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        String realm = params.get("realm");
        if (realm == null) throw new ImageException(where(), "bearer challenge without a realm");
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) q.append("service=").append(enc(params.get("service"))).append('&');
        q.append("scope=").append(enc(params.getOrDefault("scope", scope)));
        URI tokenUri;
        try {
            tokenUri = URI.create(q.toString());
        } catch (IllegalArgumentException e) {
            throw new ImageException(where(), "malformed token realm '" + realm + "'");
        }
        HttpResponse<InputStream> r = send(tokenUri, "application/json", credentials == null ? null : credentials.basicHeader());
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(1 << 20);
            if (r.statusCode() == 401 || r.statusCode() == 403)
                throw new ImageException(where(), "token service refused the credentials (HTTP " + r.statusCode() + ")");
            if (r.statusCode() != 200) throw new ImageException(where(), "token service answered HTTP " + r.statusCode());
            com.fasterxml.jackson.databind.JsonNode json = ImageDocuments.json().readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) throw new ImageException(where(), "token service returned no token");
            return "Bearer " + token;
        } catch (IOException e) {
            throw new ImageException(where(), "reading token: " + BlobImageSource.describe(e), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void discard(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.skipNBytes(Math.min(in.available(), 1 << 16));
        } catch (IOException ignored) {
            // the connection is dropped instead of reused
        }
    }
}
