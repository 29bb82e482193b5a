package dev.bulwark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `bulwark serve submit`: sends an audit report or a decision log to a running server (what the host-audit DaemonSet
 * does after `bulwark audit docker -f json`), or only checks that the server answers (a container health check).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Send an audit report (bulwark audit -f json) or a decision log (JSON lines) to a server, or --ping it.")
final class ServeSubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The server, e.g. https://bulwark-api.bulwark-system.svc:8443")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding a scan-role token (not needed for --ping).")
    Path tokenFile;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM CA certificates to trust for an https server (default: the JDK's).")
    Path caCert;

    @ArgGroup(multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--audit", paramLabel = "FILE", description = "An audit report as 'bulwark audit -f json' writes it.")
        Path audit;

        @Option(names = "--decisions", paramLabel = "FILE", description = "The JSON-lines decision log of authz / admission serve.")
        Path decisions;

        @Option(names = "--ping", description = "Only check that the server answers /healthz (exit 0), else exit 3.")
        boolean ping;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        URI base;
        try {
            base = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            err.println("bulwark: --server must be an http(s) URL, not '" + server + "'");
            return ExitCode.USAGE.code;
        }
        try {
            HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (caCert != null) hb.sslContext(trusting(caCert));
            HttpClient client = hb.build();
            HttpRequest req;
            if (what.ping) {
                req = HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofSeconds(10)).GET().build();
            } else {
                if (tokenFile == null) throw new IllegalArgumentException("--token-file is needed to submit");
                String token = read(tokenFile, 4096).strip();
                Path file = what.audit != null ? what.audit : what.decisions;
                byte[] body = Files.readAllBytes(file);
                req = HttpRequest.newBuilder(URI.create(base + (what.audit != null ? "/api/v1/audits" : "/api/v1/decisions")))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", what.audit != null ? "application/json" : "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            }
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                err.println("bulwark: " + base + " answered " + res.statusCode() + ": " + detail(res.body()));
                return ExitCode.INPUT.code;
            }
            if (!what.ping) err.println("bulwark: sent to " + base + ": " + res.body().strip());
            return ExitCode.OK.code;
        } catch (NoSuchFileException e) {
            err.println("bulwark: " + e.getFile() + ": no such file");
            return ExitCode.INPUT.code;
        } catch (IOException e) {
            err.println("bulwark: " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return ExitCode.INPUT.code;
        } catch (IllegalArgumentException | InterruptedException e) {
            return ExitCode.report(e, err);
        }
    }

    private static String read(Path f, int max) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) throw new IOException(f + ": longer than a token can be");
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static String detail(String body) {
        int i = body.indexOf("\"detail\":\"");
        if (i < 0) return body.length() > 200 ? body.substring(0, 200) : body.strip();
        int end = body.indexOf('"', i + 10);
        return end < 0 ? body.substring(i + 10) : body.substring(i + 10, end);
    }

    private static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + n++, c);
            if (n == 0) throw new IOException(pem + ": no PEM certificate");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": " + e.getMessage(), e);
        }
    }
}
