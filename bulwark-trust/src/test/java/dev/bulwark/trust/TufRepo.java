package dev.bulwark.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Notary-shaped TUF metadata with keys of its own (ecdsa P-256 with raw r||s signatures, ed25519 for
 * timestamp), so that the verifier can be shown each fault one at a time with everything else valid.
 */
final class TufRepo {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A signing key and its TUF form. */
    record Key(KeyPair pair, String type, ObjectNode json, String id) {
        static Key ecdsa() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
                return of(g.generateKeyPair(), "ecdsa");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static Key ed25519() {
            try {
                return of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "ed25519");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static Key of(KeyPair kp, String type) {
            byte[] enc = kp.getPublic().getEncoded();
            byte[] pub = type.equals("ed25519") ? java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length) : enc;
            ObjectNode k = JSON.createObjectNode();
            k.put("keytype", type);
            ObjectNode kv = k.putObject("keyval");
            kv.putNull("private");
            kv.put("public", Base64.getEncoder().encodeToString(pub));
            String id = HexFormat.of().formatHex(sha256(CanonicalJson.bytes(k)));
            return new Key(kp, type, k, id);
        }

        /** Notary's signature forms: raw r||s for ecdsa, plain Ed25519 for eddsa. */
        ObjectNode sign(byte[] data) {
            try {
                ObjectNode s = JSON.createObjectNode();
                s.put("keyid", id);
                if (type.equals("ed25519")) {
                    Signature sig = Signature.getInstance("Ed25519");
                    sig.initSign(pair.getPrivate());
                    sig.update(data);
                    s.put("method", "eddsa");
                    s.put("sig", Base64.getEncoder().encodeToString(sig.sign()));
                } else {
                    Signature sig = Signature.getInstance("SHA256withECDSA");
                    sig.initSign(pair.getPrivate());
                    sig.update(data);
                    s.put("method", "ecdsa");
                    s.put("sig", Base64.getEncoder().encodeToString(rawRs(sig.sign())));
                }
                return s;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static byte[] rawRs(byte[] der) {
        int rLen = der[3];
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(der, 4, 4 + rLen));
        int sLen = der[5 + rLen];
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(der, 6 + rLen, 6 + rLen + sLen));
        byte[] out = new byte[64];
        byte[] rb = r.toByteArray(), sb = s.toByteArray();
        System.arraycopy(rb, Math.max(0, rb.length - 32), out, 32 - Math.min(32, rb.length), Math.min(32, rb.length));
        System.arraycopy(sb, Math.max(0, sb.length - 32), out, 64 - Math.min(32, sb.length), Math.min(32, sb.length));
        return out;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // the repository's state; tests change fields, then build()
    Key root = Key.ecdsa(), targets = Key.ecdsa(), snapshot = Key.ecdsa(), timestamp = Key.ed25519(), releases = Key.ecdsa();
    int rootVersion = 1, targetsVersion = 1, snapshotVersion = 1, timestampVersion = 1, releasesVersion = 1;
    int targetsThreshold = 1;
    Instant rootExpires = Instant.now().plus(3650, ChronoUnit.DAYS);
    Instant expires = Instant.now().plus(365, ChronoUnit.DAYS);
    Instant timestampExpires = Instant.now().plus(14, ChronoUnit.DAYS);
    Map<String, byte[]> targetsContent = new LinkedHashMap<>(Map.of("1", "manifest one".getBytes(StandardCharsets.UTF_8)));
    Map<String, byte[]> releasesContent = null; // non-null: a targets/releases delegation
    List<Key> extraRootSigners = new ArrayList<>();
    List<Key> targetsSigners = null; // null: the targets key
    boolean signRootWithRoot = true;

    ObjectNode rootSigned() {
        ObjectNode s = JSON.createObjectNode();
        s.put("_type", "Root");
        s.put("consistent_snapshot", false);
        s.put("expires", rootExpires.toString());
        ObjectNode keys = s.putObject("keys");
        ObjectNode roles = s.putObject("roles");
        for (var e : Map.of("root", root, "targets", targets, "snapshot", snapshot, "timestamp", timestamp).entrySet()) {
            keys.set(e.getValue().id(), e.getValue().json());
            ObjectNode r = roles.putObject(e.getKey());
            r.putArray("keyids").add(e.getValue().id());
            r.put("threshold", e.getKey().equals("targets") ? targetsThreshold : 1);
        }
        s.put("version", rootVersion);
        return s;
    }

    static byte[] envelope(ObjectNode signed, List<Key> signers) {
        ObjectNode o = JSON.createObjectNode();
        o.set("signed", signed);
        ArrayNode sigs = o.putArray("signatures");
        byte[] canon = CanonicalJson.bytes(signed);
        for (Key k : signers) sigs.add(k.sign(canon));
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode targetsSigned(Map<String, byte[]> content, int version, Instant expires) {
        ObjectNode s = JSON.createObjectNode();
        s.put("_type", "Targets");
        s.put("expires", expires.toString());
        ObjectNode t = s.putObject("targets");
        content.forEach((tag, bytes) -> {
            ObjectNode e = t.putObject(tag);
            e.putObject("hashes").put("sha256", Base64.getEncoder().encodeToString(sha256(bytes)));
            e.put("length", bytes.length);
        });
        s.put("version", version);
        return s;
    }

    static ObjectNode fileMeta(byte[] file) {
        ObjectNode m = JSON.createObjectNode();
        m.putObject("hashes").put("sha256", Base64.getEncoder().encodeToString(sha256(file)));
        m.put("length", file.length);
        return m;
    }

    /** Every file, consistent with each other. */
    Map<String, byte[]> build() {
        Map<String, byte[]> files = new HashMap<>();
        List<Key> rootSigners = new ArrayList<>(extraRootSigners);
        if (signRootWithRoot) rootSigners.add(root);
        files.put("root", envelope(rootSigned(), rootSigners));
        ObjectNode ts = targetsSigned(targetsContent, targetsVersion, expires);
        ObjectNode del = ts.putObject("delegations");
        ObjectNode dkeys = del.putObject("keys");
        ArrayNode droles = del.putArray("roles");
        if (releasesContent != null) {
            dkeys.set(releases.id(), releases.json());
            ObjectNode r = droles.addObject();
            r.put("name", "targets/releases");
            r.putArray("keyids").add(releases.id());
            r.put("threshold", 1);
            r.putArray("paths").add("");
            files.put("targets/releases", envelope(targetsSigned(releasesContent, releasesVersion, expires), List.of(releases)));
        }
        files.put("targets", envelope(ts, targetsSigners == null ? List.of(targets) : targetsSigners));
        ObjectNode snap = JSON.createObjectNode();
        snap.put("_type", "Snapshot");
        snap.put("expires", expires.toString());
        ObjectNode meta = snap.putObject("meta");
        meta.set("root", fileMeta(files.get("root")));
        meta.set("targets", fileMeta(files.get("targets")));
        if (files.containsKey("targets/releases")) meta.set("targets/releases", fileMeta(files.get("targets/releases")));
        snap.put("version", snapshotVersion);
        files.put("snapshot", envelope(snap, List.of(snapshot)));
        ObjectNode tsm = JSON.createObjectNode();
        tsm.put("_type", "Timestamp");
        tsm.put("expires", timestampExpires.toString());
        tsm.putObject("meta").set("snapshot", fileMeta(files.get("snapshot")));
        tsm.put("version", timestampVersion);
        files.put("timestamp", envelope(tsm, List.of(timestamp)));
        return files;
    }

    static NotaryVerifier.Source source(Map<String, byte[]> files) {
        return new NotaryVerifier.Source() {
            @Override
            public byte[] fetch(String name) {
                return files.get(name);
            }

            @Override
            public String where() {
                return "fixture";
            }
        };
    }
}
