package dev.bulwark.match.suppress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed package URL ({@code pkg:type/namespace/name@version?qualifiers#subpath}), decoded and normalised the way
 * the purl specification asks (type lower-cased; namespace and name lower-cased for the types whose names are
 * case-insensitive; PyPI's {@code _} read as {@code -}), so that two spellings of one package compare equal.
 *
 * <p>Only what suppression needs: parse and compare. Building purls is the scanner's business.
 *
 * @param type       lower-case type ("deb", "golang", "oci")
 * @param namespace  decoded namespace segments joined by "/", or "" when there is none
 * @param name       decoded name
 * @param version    decoded version, or "" when there is none
 * @param qualifiers decoded qualifiers, keys lower-cased
 */
record Purl(String type, String namespace, String name, String version, Map<String, String> qualifiers) {
    /** Longer strings are not package URLs anyone meant. */
    static final int MAX_LENGTH = 4096;
    /** Types whose namespace and name the purl spec declares case-insensitive. */
    private static final Set<String> CASE_INSENSITIVE = Set.of("deb", "apk", "alpm", "npm", "pypi", "github",
            "bitbucket", "composer", "hex", "oci", "luarocks");

    Purl {
        qualifiers = Map.copyOf(qualifiers);
    }

    /** Parses a purl; throws IllegalArgumentException, quoting the input, when it is not one. */
    static Purl parse(String s) {
        if (s == null) throw new IllegalArgumentException("missing package URL");
        if (s.length() > MAX_LENGTH) throw new IllegalArgumentException("package URL longer than " + MAX_LENGTH + " characters");
        String text = s.strip();
        if (text.length() < 4 || !text.substring(0, 4).equalsIgnoreCase("pkg:"))
            throw new IllegalArgumentException("'" + Text.abbreviate(s) + "' is not a package URL (no pkg: scheme)");
        String rest = text.substring(4);
        while (rest.startsWith("/")) rest = rest.substring(1);
        int hash = rest.lastIndexOf('#');
        if (hash >= 0) rest = rest.substring(0, hash); // the subpath names a file inside the package: not identity here
        Map<String, String> qualifiers = new LinkedHashMap<>();
        int q = rest.lastIndexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("malformed qualifier '" + Text.abbreviate(pair) + "' in '" + Text.abbreviate(s) + "'");
                String value = decode(pair.substring(eq + 1), s);
                if (!value.isEmpty()) qualifiers.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), value);
            }
            rest = rest.substring(0, q);
        }
        while (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
        int slash = rest.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("'" + Text.abbreviate(s) + "' has no type and name");
        String type = rest.substring(0, slash).toLowerCase(Locale.ROOT);
        if (!type.matches("[a-z][a-z0-9.+-]*")) throw new IllegalArgumentException("invalid type '" + Text.abbreviate(type) + "' in '" + Text.abbreviate(s) + "'");
        rest = rest.substring(slash + 1);
        String version = "";
        int at = rest.lastIndexOf('@');
        // An unencoded npm scope ("pkg:npm/@babel/core") has an '@' before a '/': only an '@' in the last segment
        // starts the version.
        if (at >= 0 && at > rest.lastIndexOf('/')) {
            version = decode(rest.substring(at + 1), s);
            rest = rest.substring(0, at);
        }
        List<String> segments = new ArrayList<>();
        for (String seg : rest.split("/")) {
            if (!seg.isEmpty()) segments.add(decode(seg, s));
        }
        if (segments.isEmpty() || segments.get(segments.size() - 1).isEmpty())
            throw new IllegalArgumentException("'" + Text.abbreviate(s) + "' has no name");
        String name = segments.remove(segments.size() - 1);
        String namespace = String.join("/", segments);
        if (CASE_INSENSITIVE.contains(type)) {
            namespace = namespace.toLowerCase(Locale.ROOT);
            name = name.toLowerCase(Locale.ROOT);
        }
        if (type.equals("pypi")) name = name.replace('_', '-');
        return new Purl(type, namespace, name, version, qualifiers);
    }

    /** The parsed purl, or null when {@code s} is null or not a package URL. */
    static Purl tryParse(String s) {
        if (s == null) return null;
        try {
            return parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean isOci() {
        return type.equals("oci");
    }

    /**
     * True when this purl, used as a pattern, names {@code pkg}: same type, namespace and name, and the same version
     * when this one has a version (without one it names every version). Qualifiers and subpath are ignored: the
     * scanner's qualifiers (arch, distro) rarely agree with what a VEX author wrote.
     */
    boolean matches(Purl pkg) {
        if (pkg == null) return false;
        if (!type.equals(pkg.type) || !namespace.equals(pkg.namespace) || !name.equals(pkg.name)) return false;
        return version.isEmpty() || sameVersion(version, pkg.version, type);
    }

    private static boolean sameVersion(String a, String b, String type) {
        if (a.equals(b)) return true;
        // Go module versions are written with and without their "v" in the wild.
        if (type.equals("golang")) return stripV(a).equals(stripV(b));
        return false;
    }

    private static String stripV(String v) {
        return v.startsWith("v") ? v.substring(1) : v;
    }

    /** Percent-decoding as the purl spec uses it: no '+'-for-space, malformed escapes are errors, UTF-8. */
    static String decode(String s, String whole) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("malformed percent escape in '" + Text.abbreviate(whole) + "'");
                out.write(hi * 16 + lo);
                i += 3;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(b);
                i++;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent escapes that are not UTF-8 in '" + Text.abbreviate(whole) + "'");
        }
    }

    @Override
    public String toString() {
        return "pkg:" + type + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name
                + (version.isEmpty() ? "" : "@" + version);
    }
}
