package dev.bulwark.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.model.Digest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Cosign's storage conventions: where signatures live and how one signature manifest looks. */
final class Cosign {
    static final String PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final ObjectMapper JSON = new ObjectMapper();

    private Cosign() {
    }

    /** The tag cosign stores an image's signatures under: {@code sha256-<hex>.sig}. */
    static String signatureTag(Digest d) {
        return d.algorithm() + "-" + d.hex() + ".sig";
    }

    /** ECDSA over SHA-256, ASN.1 DER: what cosign (and openssl dgst -sha256 -sign) produce. */
    static byte[] sign(PrivateKey key, byte[] payload) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(payload);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA signing failed", e);
        }
    }

    static boolean verify(PublicKey key, byte[] payload, byte[] derSignature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(payload);
            return s.verify(derSignature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature is a signature that does not verify
        }
    }

    /** A layer descriptor of the signature manifest. */
    record Layer(Digest digest, long size, String signatureBase64) {
    }

    /**
     * The OCI manifest holding signatures as layers, and the config blob it points to (rootfs diff_ids are the
     * payload digests, as cosign writes them).
     */
    static byte[] config(java.util.List<Layer> layers) {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", "");
        c.put("os", "");
        c.putObject("config");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.digest().toString()));
        return c.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] manifest(byte[] config, java.util.List<Layer> layers) {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OCI_MANIFEST);
        ObjectNode cd = m.putObject("config");
        cd.put("mediaType", OCI_CONFIG);
        cd.put("size", config.length);
        cd.put("digest", Digest.sha256(config).toString());
        ArrayNode ls = m.putArray("layers");
        for (Layer l : layers) {
            ObjectNode d = ls.addObject();
            d.put("mediaType", PAYLOAD_TYPE);
            d.put("size", l.size());
            d.put("digest", l.digest().toString());
            d.putObject("annotations").put(SIGNATURE_ANNOTATION, l.signatureBase64());
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The signature layers of an existing signature manifest (other layers ignored). */
    static java.util.List<Layer> layers(byte[] manifest, String where) throws TrustException {
        java.util.List<Layer> out = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode m;
        try {
            m = JSON.readTree(manifest);
        } catch (java.io.IOException e) {
            throw new TrustException(where, "malformed signature manifest");
        }
        for (com.fasterxml.jackson.databind.JsonNode l : m.path("layers")) {
            if (!PAYLOAD_TYPE.equals(l.path("mediaType").asText())) continue;
            String sig = l.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
            try {
                out.add(new Layer(Digest.parse(l.path("digest").asText()), l.path("size").asLong(-1), sig));
            } catch (IllegalArgumentException e) {
                throw new TrustException(where, "signature layer: " + e.getMessage());
            }
        }
        return out;
    }
}
