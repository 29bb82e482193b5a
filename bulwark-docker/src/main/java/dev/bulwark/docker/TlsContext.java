package dev.bulwark.docker;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The TLS side of a {@link DockerClient}: the files of a {@link DockerTls} loaded and checked up front, an
 * {@link SSLContext} whose trust manager verifies the daemon as the docker CLI (Go's crypto/tls) does, and the
 * translation of handshake failures into one clear sentence.
 */
final class TlsContext {
    private static final String ALIAS = "client";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final DockerTls settings;
    private final String host;
    private final String where;
    private final List<X509Certificate> clientChain;
    private final PrivateKey clientKey;
    private final SslContextFactory.Client factory;
    /** The daemon's last request for a client certificate: which issuers it accepts, whether one was sent. */
    private final AtomicReference<CertRequest> lastRequest = new AtomicReference<>();
    /** Whether a daemon ever sent this client its certificate (a handshake got that far). */
    private final java.util.concurrent.atomic.AtomicBoolean certificateSeen = new java.util.concurrent.atomic.AtomicBoolean();

    private record CertRequest(List<X500Principal> issuers, boolean sent) {
    }

    /** Thrown by our trust manager; its message is the sentence for the user. */
    static final class DaemonCertificateException extends CertificateException {
        DaemonCertificateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private TlsContext(DockerTls settings, String host, String where, List<X509Certificate> clientChain, PrivateKey clientKey,
                       X509TrustManager anchors) {
        this.settings = settings;
        this.host = host;
        this.where = where;
        this.clientChain = clientChain;
        this.clientKey = clientKey;
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[]{new ClientKeyManager()}, new TrustManager[]{new DaemonTrustManager(anchors)}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
        this.factory = new SslContextFactory.Client();
        // our trust manager checks the host name (Go's rules); the JDK's HTTPS check would add a Common Name fallback
        // but is never reached: an X509ExtendedTrustManager of our own is the one the JDK asks
        this.factory.setSslContext(ctx);
    }

    /**
     * Loads and checks the files of {@code tls} for a daemon at {@code host} (a name or an IP literal, no brackets);
     * {@code where} names the daemon in messages.
     */
    static TlsContext create(DockerTls tls, String host, String where) throws DockerException {
        X509TrustManager anchors = null;
        if (tls.verify()) {
            KeyStore trust = null;
            if (tls.ca() != null) {
                List<X509Certificate> cas = Pem.certificates(tls.ca(), "CA certificate (the daemon's certificate is verified against it;"
                    + " set DOCKER_CERT_PATH or --tlscacert)");
                try {
                    trust = KeyStore.getInstance("PKCS12");
                    trust.load(null, null);
                    for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca" + i, cas.get(i));
                } catch (GeneralSecurityException | java.io.IOException e) {
                    throw new IllegalStateException("the JDK cannot hold certificates in a key store", e);
                }
            }
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(trust);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) anchors = x;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no PKIX trust manager", e);
            }
            if (anchors == null) throw new IllegalStateException("the JDK has no X.509 trust manager");
        }
        List<X509Certificate> chain = List.of();
        PrivateKey key = null;
        if (tls.cert() != null) {
            chain = Pem.certificates(tls.cert(), "client certificate (set DOCKER_CERT_PATH or --tlscert)");
            key = Pem.privateKey(tls.key(), "client key (set DOCKER_CERT_PATH or --tlskey)");
            Pem.checkPair(chain.get(0), tls.cert().toString(), key, tls.key().toString());
        }
        return new TlsContext(tls, host, where, chain, key, anchors);
    }

    SslContextFactory.Client factory() {
        return factory;
    }

    DockerTls settings() {
        return settings;
    }

    // ------------------------------------------------------------------ the daemon's certificate

    private final class DaemonTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager anchors;

        DaemonTrustManager(X509TrustManager anchors) {
            this.anchors = anchors;
        }

        private void check(X509Certificate[] chain, String authType) throws CertificateException {
            certificateSeen.set(true);
            if (!settings.verify()) return;
            if (chain == null || chain.length == 0) throw new DaemonCertificateException("the daemon sent no certificate", null);
            X509Certificate leaf = chain[0];
            try {
                anchors.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new DaemonCertificateException(untrusted(leaf, e), e);
            }
            verifyHost(leaf, host);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a Docker client does not authenticate clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a Docker client does not authenticate clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a Docker client does not authenticate clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return anchors == null ? new X509Certificate[0] : anchors.getAcceptedIssuers();
        }
    }

    private String untrusted(X509Certificate leaf, CertificateException e) {
        String what = "the daemon's certificate (" + leaf.getSubjectX500Principal().getName() + ", issued by "
            + leaf.getIssuerX500Principal().getName() + ")";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return what + " has expired (not after " + leaf.getNotAfter().toInstant() + ")";
            }
            if (t instanceof CertificateNotYetValidException || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return what + " is not valid yet (not before " + leaf.getNotBefore().toInstant() + ")";
            }
        }
        String m = Pem.rootMessage(e);
        if (m.contains("unable to find valid certification path") || m.contains("PKIX path building failed")) {
            return what + " is not signed by " + (settings.ca() != null ? "a CA in " + settings.ca() : "a CA the JDK trusts")
                + ": not trusted";
        }
        return what + " is not trusted: " + m;
    }

    /**
     * Go's {@code x509.Certificate.VerifyHostname}, which the docker CLI relies on: an IP literal must be an IP
     * subjectAltName; a name must match a DNS subjectAltName, exactly or by a wildcard as its whole leftmost
     * label; the Common Name is never used.
     */
    static void verifyHost(X509Certificate leaf, String host) throws DaemonCertificateException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new DaemonCertificateException("the daemon's certificate has a malformed subjectAltName: " + e.getMessage(), e);
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String v)) continue;
                if (type == 2) dns.add(v);
                if (type == 7) ips.add(v);
            }
        }
        String names = names(dns, ips);
        if (dns.isEmpty() && ips.isEmpty()) {
            throw new DaemonCertificateException("the daemon's certificate (" + leaf.getSubjectX500Principal().getName()
                + ") has no subjectAltName, so it names no host; the docker CLI refuses it too (no Common Name fallback):"
                + " reissue it with subjectAltName=DNS:...,IP:...", null);
        }
        InetAddress ip = ipLiteral(h);
        if (ip != null) {
            for (String s : ips) {
                InetAddress a = ipLiteral(s);
                if (a != null && Arrays.equals(a.getAddress(), ip.getAddress())) return;
            }
        } else {
            String name = h.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
            for (String d : dns) {
                if (matchesDns(d.toLowerCase(Locale.ROOT), name)) return;
            }
        }
        throw new DaemonCertificateException("the daemon's certificate is valid for " + names + ", not for " + h
            + " (the host connected to): host name mismatch", null);
    }

    private static boolean matchesDns(String pattern, String name) {
        if (pattern.endsWith(".")) pattern = pattern.substring(0, pattern.length() - 1);
        if (pattern.equals(name)) return true;
        if (!pattern.startsWith("*.")) return false;
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(pattern.substring(1));
    }

    private static String names(List<String> dns, List<String> ips) {
        List<String> all = new ArrayList<>();
        ips.forEach(i -> all.add("IP:" + i));
        dns.forEach(d -> all.add("DNS:" + d));
        return String.join(", ", all);
    }

    /** An IPv4 or IPv6 literal, parsed without any name lookup; null for a host name. */
    static InetAddress ipLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            for (String octet : s.split("\\.")) if (Integer.parseInt(octet) > 255) return null;
        } else if (!s.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(s); // a literal: parsed, never resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ the client certificate

    private final class ClientKeyManager extends X509ExtendedKeyManager {
        private String choose(String[] keyTypes, Principal[] issuers) {
            List<X500Principal> accepted = issuers == null ? List.of() : Arrays.stream(issuers)
                .filter(p -> p instanceof X500Principal).map(p -> (X500Principal) p).toList();
            boolean ok = clientKey != null && typeMatches(keyTypes) && issuerMatches(accepted);
            lastRequest.set(new CertRequest(accepted, ok));
            return ok ? ALIAS : null;
        }

        private boolean typeMatches(String[] keyTypes) {
            if (keyTypes == null) return false;
            String pub = clientChain.get(0).getPublicKey().getAlgorithm();
            for (String t : keyTypes) {
                if (t != null && t.equals(clientKey.getAlgorithm()) && t.equals(pub)) return true;
            }
            return false;
        }

        /** As Go: any certificate of the chain issued by an accepted CA (or the daemon names none). */
        private boolean issuerMatches(List<X500Principal> accepted) {
            if (accepted.isEmpty()) return true;
            for (X509Certificate c : clientChain) {
                if (accepted.contains(c.getIssuerX500Principal())) return true;
            }
            return false;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return choose(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return choose(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return clientKey == null ? null : new String[]{ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) && clientKey != null ? clientChain.toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? clientKey : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return null;
        }
    }

    // ------------------------------------------------------------------ failures

    /**
     * One sentence for a failed exchange with the daemon over TLS, or null when the failure is not about TLS
     * (connection refused, timeouts: the caller says those).
     */
    String explain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) chain.add(t);
        for (Throwable t : chain) {
            if (t instanceof DaemonCertificateException d) return d.getMessage();
        }
        String ssl = null;
        for (Throwable t : chain) {
            if (t instanceof SSLException && t.getMessage() != null) {
                ssl = t.getMessage();
                break;
            }
        }
        String all = chain.stream().map(t -> String.valueOf(t.getMessage())).collect(Collectors.joining(" | "));
        if (all.contains("Unsupported or unrecognized SSL message") || all.contains("plaintext connection?")) {
            return "the daemon at " + where + " does not speak TLS on this port (it answered in plain text, as a plain-HTTP"
                + " daemon does): connect without TLS (unset DOCKER_TLS_VERIFY and DOCKER_TLS) or use the daemon's TLS port";
        }
        CertRequest req = lastRequest.get();
        String alert = alert(all);
        boolean closed = chain.stream().anyMatch(t -> t instanceof EOFException || t instanceof java.nio.channels.ClosedChannelException
            || String.valueOf(t.getMessage()).contains("closed") || String.valueOf(t.getMessage()).contains("reset"));
        if (req != null && !req.sent() && (alert != null || closed)) {
            return clientCertificateRequired(req);
        }
        if (closed && alert == null && !certificateSeen.get()) {
            return "the daemon at " + where + " closed the connection in the TLS handshake before sending a certificate:"
                + " is this its TLS port? (a plain-HTTP daemon may do so)";
        }
        if (req != null && req.sent() && (alert != null || closed)) {
            // TLS 1.3: the daemon judges the client certificate after the client's last handshake message; its alert
            // may be lost to a reset of the connection, which then is all there is to go by
            X509Certificate c = clientChain.get(0);
            String cert = settings.cert() + " (" + c.getSubjectX500Principal().getName() + ", issued by "
                + c.getIssuerX500Principal().getName() + ")";
            return alert != null ? "the daemon rejected the client certificate " + cert + ": TLS alert " + alert
                : "the daemon closed the connection after a TLS handshake in which it was sent the client certificate " + cert
                    + ": it probably rejected it (" + Pem.rootMessage(failure) + ")";
        }
        if (alert != null && alert.equals("certificate_required")) {
            return "the daemon requires a client certificate and none was sent"
                + (settings.cert() == null ? " (no cert.pem/key.pem: set DOCKER_CERT_PATH or --tlscert and --tlskey)" : "");
        }
        if (ssl != null) return "TLS handshake with the daemon failed: " + ssl;
        return null;
    }

    private String clientCertificateRequired(CertRequest req) {
        String accepted = req.issuers().isEmpty() ? "" : " issued by " + req.issuers().stream().map(X500Principal::getName)
            .collect(Collectors.joining(" or "));
        String why;
        if (clientKey == null) {
            why = "none is configured (no cert.pem and key.pem in DOCKER_CERT_PATH; or pass --tlscert and --tlskey)";
        } else {
            X509Certificate c = clientChain.get(0);
            why = settings.cert() + " is issued by " + c.getIssuerX500Principal().getName()
                + (issuerKnown(req) ? " but its " + Pem.describe(clientKey) + " key type is not one the daemon accepts" : ", a CA the daemon does not accept");
        }
        return "the daemon requires a client certificate" + accepted + "; " + why;
    }

    private boolean issuerKnown(CertRequest req) {
        if (req.issuers().isEmpty()) return true;
        for (X509Certificate c : clientChain) if (req.issuers().contains(c.getIssuerX500Principal())) return true;
        return false;
    }

    private static final Pattern ALERT = Pattern.compile("Received fatal alert: ([a-z_]+)");

    private static String alert(String messages) {
        var m = ALERT.matcher(messages);
        return m.find() ? m.group(1) : null;
    }
}
