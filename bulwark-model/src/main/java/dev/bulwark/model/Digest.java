package dev.bulwark.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest as OCI writes it: {@code algorithm:hex}. Only sha256 and sha512 are accepted. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        if (algorithm == null || hex == null) throw new IllegalArgumentException("digest: null part");
        Pattern p = switch (algorithm) {
            case "sha256" -> SHA256;
            case "sha512" -> SHA512;
            default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'");
        };
        if (!p.matcher(hex).matches()) throw new IllegalArgumentException("malformed " + algorithm + " digest '" + hex + "'");
    }

    /** Parses {@code sha256:<64 hex>}; throws IllegalArgumentException with a readable message. */
    public static Digest parse(String s) {
        if (s == null) throw new IllegalArgumentException("missing digest");
        int colon = s.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("malformed digest '" + abbreviate(s) + "'");
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    public static boolean isValid(String s) {
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(data)));
    }

    public static Digest of(MessageDigest md) {
        String alg = switch (md.getAlgorithm()) {
            case "SHA-256" -> "sha256";
            case "SHA-512" -> "sha512";
            default -> throw new IllegalArgumentException(md.getAlgorithm());
        };
        return new Digest(alg, HexFormat.of().formatHex(md.digest()));
    }

    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** First 12 hex characters, as docker prints image IDs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
