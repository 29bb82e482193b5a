package dev.bulwark.trust;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker Content Trust: which digest a tag names according to a Notary server's TUF metadata, checked as the
 * docker CLI checks it with DOCKER_CONTENT_TRUST=1. The chain is root (trusted on first use, or pinned) →
 * timestamp → snapshot → targets → the targets/releases delegation; each role's signatures must reach its
 * threshold with the keys root (or the delegating role) names, none may be expired, each file must hash to what
 * the role above says, and no version may be lower than one seen before (rollback). A newer root must be signed by
 * the previous root's keys as well as its own (key rotation).
 */
public final class NotaryVerifier {
    static final int MAX_METADATA = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    static final List<String> DOCKER_ROLES = List.of("targets/releases", "targets");

    /** Where TUF files come from: a Notary server, or anything else serving the same names. */
    public interface Source {
        /** The bytes of {@code name}.json ("root", "timestamp", "targets/releases", "2.root"...); null when absent. */
        byte[] fetch(String name) throws TrustException;

        String where();
    }

    /**
     * The verified answer.
     *
     * @param role         the role whose targets named the tag
     * @param trustedFirst true when no root was trusted before: this root was trusted on first use
     */
    public record Target(String gun, String tag, Digest digest, long length, String role, int rootVersion, boolean trustedFirst) {
    }

    private final Path trustDir;
    private final byte[] pinnedRoot;
    private final Clock clock;

    /**
     * @param trustDir   where trusted roots and the versions seen are kept (per GUN); null keeps nothing, which
     *                   also means no rollback protection across runs
     * @param pinnedRoot a root.json to trust instead of the stored one (null: the stored one, else first use)
     */
    public NotaryVerifier(Path trustDir, byte[] pinnedRoot, Clock clock) {
        this.trustDir = trustDir;
        this.pinnedRoot = pinnedRoot;
        this.clock = clock;
    }

    record Role(List<String> keyIds, int threshold, List<String> paths) {
    }

    /** One parsed, signature-unchecked metadata file. */
    record Meta(String name, byte[] raw, JsonNode signed, JsonNode signatures) {
        int version() {
            return signed.path("version").asInt(-1);
        }
    }

    public Target verify(String gun, String tag, Source source) throws TrustException {
        String where = source.where() + " " + gun;
        Map<String, Integer> seen = loadVersions(gun);
        byte[] trustedBytes = pinnedRoot != null ? pinnedRoot : loadRoot(gun);

        Meta root = parse("root", require(source, "root", where), where);
        checkType(root, "Root", where);
        Map<String, TufKey> rootKeys = keys(root.signed().path("keys"), where + " root.json");
        Role rootRole = role(root.signed().path("roles").path("root"), "root", where);
        boolean first = trustedBytes == null;
        if (!first) {
            Meta trusted = parse("root", trustedBytes, "trusted root of " + gun);
            Map<String, TufKey> tKeys = keys(trusted.signed().path("keys"), "trusted root of " + gun);
            Role tRole = role(trusted.signed().path("roles").path("root"), "root", "trusted root of " + gun);
            if (root.version() < trusted.version())
                throw new TrustRefusal(where + " root.json", "version " + root.version() + " is older than the trusted version "
                        + trusted.version() + ": rollback refused");
            if (root.version() == trusted.version()) {
                if (!java.util.Arrays.equals(CanonicalJson.bytes(root.signed()), CanonicalJson.bytes(trusted.signed())))
                    throw new TrustRefusal(where + " root.json", "differs from the trusted root of the same version " + root.version());
            } else {
                // Rotation: every step from the trusted root must be signed by the step before and by itself.

                Map<String, TufKey> curKeys = tKeys;
                Role curRole = tRole;
                for (int v = trusted.version() + 1; v <= root.version(); v++) {
                    Meta next = v == root.version() ? root : intermediate(source, v, where);
                    if (next == null) {
                        next = root; // the server keeps no intermediate roots: the newest must satisfy the trusted one
                        v = root.version();
                    }
                    Map<String, TufKey> nKeys = keys(next.signed().path("keys"), where + " root v" + next.version());
                    Role nRole = role(next.signed().path("roles").path("root"), "root", where);
                    checkSignatures(next, curKeys, curRole, where + " root.json v" + next.version() + " (by the previous root's keys)");
                    checkSignatures(next, nKeys, nRole, where + " root.json v" + next.version());

                    curKeys = nKeys;
                    curRole = nRole;
                }
            }
        }
        checkSignatures(root, rootKeys, rootRole, where + " root.json");
        checkExpiry(root, where);
        for (String id : rootRole.keyIds()) {
            TufKey k = rootKeys.get(id);
            if (k != null && k.notAfter() != null && k.notAfter().isBefore(clock.instant()))
                throw new TrustRefusal(where + " root.json", "root certificate " + TufKey.abbreviate(id) + " expired on " + k.notAfter());
        }

        Meta ts = parse("timestamp", require(source, "timestamp", where), where);
        checkType(ts, "Timestamp", where);
        checkSignatures(ts, rootKeys, role(root.signed().path("roles").path("timestamp"), "timestamp", where), where + " timestamp.json");
        checkExpiry(ts, where);
        checkRollback(ts, seen, where);

        Meta snap = parse("snapshot", require(source, "snapshot", where), where);
        checkHashes(snap, ts.signed().path("meta").path("snapshot"), "timestamp", where);
        checkType(snap, "Snapshot", where);
        checkSignatures(snap, rootKeys, role(root.signed().path("roles").path("snapshot"), "snapshot", where), where + " snapshot.json");
        checkExpiry(snap, where);
        checkRollback(snap, seen, where);
        JsonNode snapMeta = snap.signed().path("meta");
        if (snapMeta.has("root")) checkHashes(root, snapMeta.path("root"), "snapshot", where);

        Meta targets = parse("targets", require(source, "targets", where), where);
        checkHashes(targets, snapMeta.path("targets"), "snapshot", where);
        checkType(targets, "Targets", where);
        checkSignatures(targets, rootKeys, role(root.signed().path("roles").path("targets"), "targets", where), where + " targets.json");
        checkExpiry(targets, where);
        checkRollback(targets, seen, where);

        Map<String, Meta> byRole = new LinkedHashMap<>();
        JsonNode delegations = targets.signed().path("delegations");
        Map<String, TufKey> delegationKeys = delegations.has("keys") ? keys(delegations.path("keys"), where + " targets.json delegations") : Map.of();
        for (JsonNode d : delegations.path("roles")) {
            String name = d.path("name").asText("");
            if (!name.equals("targets/releases")) continue; // the delegation the docker CLI signs and reads
            if (!snapMeta.has(name)) continue; // delegated but never published
            Meta m = parse(name, require(source, name, where), where);
            checkHashes(m, snapMeta.path(name), "snapshot", where);
            checkType(m, "Targets", where);
            Role r = role(d, name, where);
            checkSignatures(m, delegationKeys, r, where + " " + name + ".json");
            checkExpiry(m, where);
            checkRollback(m, seen, where);
            if (!r.paths().isEmpty() && r.paths().stream().noneMatch(tag::startsWith))
                continue; // the delegation may not speak for this tag
            byRole.put(name, m);
        }
        byRole.put("targets", targets);

        Target found = null;
        for (String name : DOCKER_ROLES) {
            Meta m = byRole.get(name);
            if (m == null) continue;
            JsonNode t = m.signed().path("targets").get(tag);
            if (t == null) continue;
            String b64 = t.path("hashes").path("sha256").asText("");
            byte[] h;
            try {
                h = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new TrustRefusal(where + " " + name + ".json", "target " + tag + " has a malformed sha256");
            }
            if (h.length != 32) throw new TrustRefusal(where + " " + name + ".json", "target " + tag + " has no sha256 hash");
            found = new Target(gun, tag, new Digest("sha256", HexFormat.of().formatHex(h)), t.path("length").asLong(-1), name,
                    root.version(), first);
            break;
        }
        if (found == null) throw new TrustRefusal(where, "no trust data for tag '" + tag + "' (not signed in targets/releases or targets)");

        // Only now, with everything verified, remember the root and the versions.
        seen.put("timestamp", ts.version());
        seen.put("snapshot", snap.version());
        seen.put("targets", targets.version());
        for (var e : byRole.entrySet()) seen.put(e.getKey(), e.getValue().version());
        store(gun, root.raw(), seen);
        return found;
    }

    private Meta intermediate(Source source, int version, String where) throws TrustException {
        byte[] b = source.fetch(version + ".root");
        if (b == null) return null;
        Meta m = parse("root", b, where);
        if (m.version() != version) throw new TrustRefusal(where + " " + version + ".root.json", "claims version " + m.version());
        return m;
    }

    private static byte[] require(Source s, String name, String where) throws TrustException {
        byte[] b = s.fetch(name);
        if (b == null) throw new TrustRefusal(where, "no " + name + ".json on the trust server (is the repository signed?)");
        return b;
    }

    static Meta parse(String name, byte[] raw, String where) throws TrustException {
        if (raw.length > MAX_METADATA) throw new TrustRefusal(where + " " + name + ".json", "larger than " + MAX_METADATA + " bytes");
        JsonNode n;
        try {
            n = JSON.readTree(raw);
        } catch (IOException e) {
            throw new TrustRefusal(where + " " + name + ".json", "malformed JSON");
        }
        if (n == null || !n.path("signed").isObject() || !n.path("signatures").isArray())
            throw new TrustRefusal(where + " " + name + ".json", "not TUF metadata (needs 'signed' and 'signatures')");
        if (!n.path("signed").path("version").isIntegralNumber())
            throw new TrustRefusal(where + " " + name + ".json", "has no integer version");
        return new Meta(name, raw, n.path("signed"), n.path("signatures"));
    }

    private static void checkType(Meta m, String type, String where) throws TrustException {
        String t = m.signed().path("_type").asText("");
        if (!t.equals(type)) throw new TrustRefusal(where + " " + m.name() + ".json", "_type is '" + t + "', expected '" + type + "'");
    }

    static Map<String, TufKey> keys(JsonNode keys, String where) throws TrustException {
        Map<String, TufKey> out = new LinkedHashMap<>();
        for (var it = keys.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), TufKey.parse(e.getKey(), e.getValue(), where));
        }
        return out;
    }

    static Role role(JsonNode r, String name, String where) throws TrustException {
        if (!r.isObject()) throw new TrustRefusal(where, "root names no '" + name + "' role");
        List<String> ids = new ArrayList<>();
        for (JsonNode k : r.path("keyids")) ids.add(k.asText());
        int threshold = r.path("threshold").asInt(0);
        if (threshold < 1) throw new TrustRefusal(where, "role " + name + " has threshold " + threshold + " (at least 1 is required)");
        if (ids.size() < threshold) throw new TrustRefusal(where, "role " + name + " has " + ids.size() + " keys, fewer than its threshold " + threshold);
        List<String> paths = new ArrayList<>();
        for (JsonNode p : r.path("paths")) paths.add(p.asText());
        return new Role(ids, threshold, paths);
    }

    /** Counts distinct role keys whose signature over the canonical 'signed' verifies; fewer than the threshold fails. */
    static void checkSignatures(Meta m, Map<String, TufKey> keys, Role role, String where) throws TrustException {
        byte[] canonical = CanonicalJson.bytes(m.signed());
        Set<String> good = new HashSet<>();
        int bad = 0;
        for (JsonNode s : m.signatures()) {
            String id = s.path("keyid").asText("");
            if (!role.keyIds().contains(id) || good.contains(id)) continue;
            TufKey k = keys.get(id);
            if (k == null) continue;
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(s.path("sig").asText(""));
            } catch (IllegalArgumentException e) {
                bad++;
                continue;
            }
            if (k.verifies(s.path("method").asText(""), sig, canonical)) good.add(id);
            else bad++;
        }
        if (good.size() < role.threshold())
            throw new TrustRefusal(where, "signed by " + good.size() + " of the role's keys, threshold is " + role.threshold()
                    + (bad > 0 ? " (" + bad + " signature" + (bad == 1 ? "" : "s") + " did not verify)" : ""));
    }

    private void checkExpiry(Meta m, String where) throws TrustException {
        String e = m.signed().path("expires").asText("");
        Instant t;
        try {
            t = Instant.parse(e);
        } catch (DateTimeParseException ex) {
            throw new TrustRefusal(where + " " + m.name() + ".json", "malformed expires '" + e + "'");
        }
        if (!t.isAfter(clock.instant())) throw new TrustRefusal(where + " " + m.name() + ".json", "expired on " + t + " (stale trust data refused)");
    }

    private static void checkRollback(Meta m, Map<String, Integer> seen, String where) throws TrustException {
        Integer before = seen.get(m.name());
        if (before != null && m.version() < before)
            throw new TrustRefusal(where + " " + m.name() + ".json", "version " + m.version() + " is older than version " + before
                    + " seen before: rollback refused");
    }

    /** The file must be exactly what the role above describes: length and every hash it lists that we know. */
    private static void checkHashes(Meta m, JsonNode expected, String by, String where) throws TrustException {
        String w = where + " " + m.name() + ".json";
        if (!expected.isObject()) throw new TrustRefusal(w, by + ".json does not describe it");
        long len = expected.path("length").asLong(-1);
        if (len != m.raw().length) throw new TrustRefusal(w, "is " + m.raw().length + " bytes, " + by + ".json says " + len + ": the file was altered");
        boolean any = false;
        for (String alg : List.of("sha256", "sha512")) {
            JsonNode h = expected.path("hashes").get(alg);
            if (h == null) continue;
            any = true;
            try {
                byte[] want = Base64.getDecoder().decode(h.asText());
                byte[] got = MessageDigest.getInstance(alg.equals("sha256") ? "SHA-256" : "SHA-512").digest(m.raw());
                if (!MessageDigest.isEqual(want, got)) throw new TrustRefusal(w, alg + " does not match " + by + ".json: the file was altered");
            } catch (IllegalArgumentException | java.security.NoSuchAlgorithmException e) {
                throw new TrustRefusal(w, "malformed " + alg + " in " + by + ".json");
            }
        }
        if (!any) throw new TrustRefusal(w, by + ".json lists no sha256 or sha512 for it");
    }

    // ------------------------------------------------------------------ local trust store

    private Path dirOf(String gun) {
        return trustDir.resolve(java.net.URLEncoder.encode(gun, StandardCharsets.UTF_8));
    }

    private byte[] loadRoot(String gun) throws TrustException {
        if (trustDir == null) return null;
        Path f = dirOf(gun).resolve("root.json");
        try {
            return Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
        } catch (IOException e) {
            throw new TrustException(f.toString(), "cannot read the trusted root: " + e.getMessage(), e);
        }
    }

    private Map<String, Integer> loadVersions(String gun) throws TrustException {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (trustDir == null) return out;
        Path f = dirOf(gun).resolve("versions.json");
        try {
            if (!Files.isRegularFile(f)) return out;
            JsonNode n = JSON.readTree(f.toFile());
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                out.put(e.getKey(), e.getValue().asInt());
            }
            return out;
        } catch (IOException e) {
            throw new TrustException(f.toString(), "unreadable (delete it to start trusting afresh): " + e.getMessage(), e);
        }
    }

    private void store(String gun, byte[] root, Map<String, Integer> versions) throws TrustException {
        if (trustDir == null) return;
        Path dir = dirOf(gun);
        try {
            Files.createDirectories(dir);
            ObjectNode v = JSON.createObjectNode();
            versions.forEach(v::put);
            replace(dir.resolve("root.json"), root);
            replace(dir.resolve("versions.json"), v.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TrustException(dir.toString(), "cannot store trust data: " + e.getMessage(), e);
        }
    }

    private static void replace(Path f, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(f.getParent(), ".tuf", ".tmp");
        try {
            Files.write(tmp, data);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
