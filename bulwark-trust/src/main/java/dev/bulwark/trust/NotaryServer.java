package dev.bulwark.trust;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;

/**
 * A Notary server's TUF files for one GUN ({@code GET /v2/<gun>/_trust/tuf/<role>.json}), over HTTPS that trusts
 * the given CA (or the JDK's roots); reads are bounded.
 */
public final class NotaryServer implements NotaryVerifier.Source {
    private final URI base;
    private final String gun;
    private final HttpClient http;

    private NotaryServer(URI base, String gun, HttpClient http) {
        this.base = base;
        this.gun = gun;
        this.http = http;
    }

    public static NotaryServer open(String url, Path caFile, String gun) throws TrustException {
        URI u;
        try {
            u = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new TrustException(url, "malformed Notary server URL");
        }
        if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()))
            throw new TrustException(url, "a Notary server URL starts with https://");
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20));
        if (caFile != null) b.sslContext(context(caFile));
        return new NotaryServer(u, gun, b.build());
    }

    private static javax.net.ssl.SSLContext context(Path caFile) throws TrustException {
        try {
            if (!Files.isRegularFile(caFile)) throw new TrustException(caFile.toString(), "no such CA file");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(caFile)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) throw new TrustException(caFile.toString(), "no certificate in the CA file");
            int i = 0;
            for (Certificate c : certs) ks.setCertificateEntry("ca" + i++, c);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new TrustException(caFile.toString(), "unusable CA file: " + e.getMessage(), e);
        }
    }

    @Override
    public String where() {
        return "notary " + base.getAuthority();
    }

    @Override
    public byte[] fetch(String name) throws TrustException {
        String path = "v2/" + encodePath(gun) + "/_trust/tuf/" + encodePath(name) + ".json";
        URI u = base.resolve(path);
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofMinutes(1)).GET()
                    .header("User-Agent", "bulwark").build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() == 404) return null;
                if (r.statusCode() != 200) throw new TrustException(where(), "HTTP " + r.statusCode() + " for " + name + ".json");
                byte[] b = in.readNBytes(NotaryVerifier.MAX_METADATA + 1);
                if (b.length > NotaryVerifier.MAX_METADATA) throw new TrustException(where(), name + ".json is larger than " + NotaryVerifier.MAX_METADATA + " bytes");
                return b;
            }
        } catch (javax.net.ssl.SSLException e) {
            throw new TrustException(where(), "TLS failed (" + e.getMessage() + "); pass the server's CA with --notary-ca");
        } catch (java.net.ConnectException e) {
            throw new TrustException(where(), "cannot connect (connection refused or unreachable)");
        } catch (IOException e) {
            throw new TrustException(where(), "cannot fetch " + name + ".json: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrustException(where(), "interrupted");
        }
    }

    private static String encodePath(String s) {
        StringBuilder b = new StringBuilder();
        for (String part : s.split("/", -1)) {
            if (!b.isEmpty()) b.append('/');
            b.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString().replace("%3A", ":");
    }
}
