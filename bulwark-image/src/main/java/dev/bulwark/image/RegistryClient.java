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
        HttpResponse<InputStream> r = exchange("GET", base.resolve(ref.repository() + "/" + path), accept, null, null, false);
        int code = r.statusCode();
        if (code == 200) return r;
        discard(r);
        if (code == 404) throw new ImageException(where(), path.startsWith("manifests/")
                ? "no such image or tag (manifest " + path.substring(10) + " unknown)" : "blob " + path.substring(6) + " not found");
        throw unexpected(code, path);
    }

    private ImageException unexpected(int code, String path) {
        if (code == 403) return new ImageException(where(), "access denied (HTTP 403)");
        if (code == 429) return new ImageException(where(), "rate limited by the registry (HTTP 429); try again later or log in");
        return new ImageException(where(), "unexpected HTTP " + code + " for " + path);
    }

    /**
     * One request with the repository's authorization: on a 401 the challenge is answered once (a token for pull,
     * or pull and push when writing) and the request repeated. Statuses other than 401 are the caller's to judge.
     */
    private HttpResponse<InputStream> exchange(String method, URI uri, String accept, byte[] body, String contentType,
                                               boolean push) throws ImageException {
        String scope = "repository:" + ref.repository() + (push ? ":pull,push" : ":pull");
        HttpResponse<InputStream> r = send(method, uri, accept, authorization.get(scope), body, contentType);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            discard(r);
            String auth = authenticate(challenge, scope);
            authorization.put(scope, auth);
            r = send(method, uri, accept, auth, body, contentType);
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                discard(r);
                throw new ImageException(where(), "access denied (HTTP " + r.statusCode() + ")"
                        + (credentials == null ? ": the registry wants credentials (--username/--password or docker login)" : ": check the credentials"));
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ writes (signatures) and lookups

    /** The manifest at a tag or digest, or null when the registry has none (404). */
    Manifest manifestIfPresent(String reference) throws ImageException {
        HttpResponse<InputStream> r = exchange("HEAD", base.resolve(ref.repository() + "/manifests/" + reference), ACCEPT, null, null, false);
        discard(r);
        if (r.statusCode() == 404) return null;
        if (r.statusCode() != 200) throw unexpected(r.statusCode(), "manifests/" + reference);
        return manifest(reference);
    }

    boolean hasBlob(Digest digest) throws ImageException {
        HttpResponse<InputStream> r = exchange("HEAD", base.resolve(ref.repository() + "/blobs/" + digest), null, null, null, false);
        discard(r);
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw unexpected(r.statusCode(), "blobs/" + digest);
    }

    /** Uploads a small blob in one piece (POST to open the upload, PUT with the digest); skipped when present. */
    Digest putBlob(byte[] data) throws ImageException {
        Digest d = Digest.sha256(data);
        if (hasBlob(d)) return d;
        HttpResponse<InputStream> r = exchange("POST", base.resolve(ref.repository() + "/blobs/uploads/"), null, new byte[0], null, true);
        discard(r);
        if (r.statusCode() != 202) throw unexpected(r.statusCode(), "blobs/uploads/");
        String location = r.headers().firstValue("Location").orElseThrow(() -> new ImageException(where(), "upload started without a Location"));
        URI upload;
        try {
            upload = base.resolve(location);
            String q = upload.getRawQuery();
            upload = URI.create(upload.toString() + (q == null ? "?" : "&") + "digest=" + enc(d.toString()));
        } catch (IllegalArgumentException e) {
            throw new ImageException(where(), "malformed upload Location '" + location + "'");
        }
        r = exchange("PUT", upload, null, data, "application/octet-stream", true);
        discard(r);
        if (r.statusCode() != 201) throw unexpected(r.statusCode(), "blob upload of " + d);
        return d;
    }

    /**
     * Stores a manifest under a tag (or its digest) and checks that the registry says it stored exactly these bytes.
     */
    Digest putManifest(String reference, byte[] body, String mediaType) throws ImageException {
        Digest d = Digest.sha256(body);
        HttpResponse<InputStream> r = exchange("PUT", base.resolve(ref.repository() + "/manifests/" + reference), null, body, mediaType, true);
        discard(r);
        if (r.statusCode() != 201 && r.statusCode() != 200) throw unexpected(r.statusCode(), "manifests/" + reference);
        String answered = r.headers().firstValue("Docker-Content-Digest").orElse(d.toString());
        if (!answered.equals(d.toString()))
            throw new ImageException(where(), "the registry stored manifest " + answered + " instead of " + d);
        return d;
    }

    /** The repository's tags (one page of up to 10000; enough for signature lookups). */
    java.util.List<String> tags() throws ImageException {
        HttpResponse<InputStream> r = exchange("GET", base.resolve(ref.repository() + "/tags/list?n=10000"), "application/json", null, null, false);
        if (r.statusCode() == 404) {
            discard(r);
            return java.util.List.of();
        }
        if (r.statusCode() != 200) {
            discard(r);
            throw unexpected(r.statusCode(), "tags/list");
        }
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(limits.maxMetadataBytes() + 1);
            if (body.length > limits.maxMetadataBytes()) throw new ImageException(where(), "tag list is too large");
            java.util.List<String> out = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode t : ImageDocuments.json().readTree(body).path("tags")) out.add(t.asText());
            return out;
        } catch (IOException e) {
            throw new ImageException(where(), "reading tag list: " + BlobImageSource.describe(e), e);
        }
    }

    private HttpResponse<InputStream> send(URI uri, String accept, String auth) throws ImageException {
        return send("GET", uri, accept, auth, null, null);
    }

    private HttpResponse<InputStream> send(String method, URI uri, String accept, String auth, byte[] body, String contentType)
            throws ImageException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (accept != null) b.header("Accept", accept);
        if (auth != null) b.header("Authorization", auth);
        if (contentType != null) b.header("Content-Type", contentType);
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
