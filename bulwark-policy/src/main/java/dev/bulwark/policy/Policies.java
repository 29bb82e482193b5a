package dev.bulwark.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where policies come from: a YAML file ({@link #load}), text ({@link #parse}), or the built-in baseline
 * ({@link #baseline()}), which a file can also extend ({@code extends: baseline}) with its own parameters.
 */
public final class Policies {
    /** The resource holding the baseline policy. */
    static final String BASELINE_RESOURCE = "/dev/bulwark/policy/baseline.yaml";
    private static volatile Policy baseline;

    private Policies() {
    }

    /** Loads and compiles a policy file; every problem is one {@code file:line: rule NAME: what}. */
    public static Policy load(Path file) throws PolicyException {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) throw PolicyException.at(name, 0, "is a directory, not a policy file");
            if (Files.size(file) > Yamls.MAX_BYTES) throw PolicyException.at(name, 0, "refused: larger than " + (Yamls.MAX_BYTES >> 20) + " MiB");
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return parse(name, text);
        } catch (NoSuchFileException e) {
            throw PolicyException.at(name, 0, "no such file");
        } catch (CharacterCodingException e) {
            throw PolicyException.at(name, 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new PolicyException(name, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Compiles a policy from its text; {@code name} is used in messages. */
    public static Policy parse(String name, String yaml) throws PolicyException {
        return PolicyLoader.load(name, yaml, baseline(), Map.of());
    }

    /** The built-in baseline with its default parameters. */
    public static Policy baseline() {
        Policy b = baseline;
        if (b == null) {
            try {
                b = PolicyLoader.load("baseline", baselineYaml(), null, Map.of());
            } catch (PolicyException e) {
                throw new IllegalStateException("the built-in baseline does not load: " + e.oneLine(), e);
            }
            baseline = b;
        }
        return b;
    }

    /**
     * The baseline with some parameters replaced (allowedRegistries, requireDigest, execUsers, execGroups,
     * protectedPaths, dockerSockets, deniedCapabilities); an unknown name or a value of the wrong kind is an error.
     */
    public static Policy baseline(Map<String, ?> params) throws PolicyException {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) params;
        return PolicyLoader.load("baseline", baselineYaml(), null, p);
    }

    /** The baseline policy's YAML text, as shipped. */
    public static String baselineYaml() {
        try (InputStream in = Policies.class.getResourceAsStream(BASELINE_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + BASELINE_RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BASELINE_RESOURCE, e);
        }
    }
}
