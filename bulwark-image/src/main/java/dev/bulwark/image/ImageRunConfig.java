package dev.bulwark.image;

import dev.bulwark.model.ImageInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What an image says about how it runs, with values: {@link ImageInfo#config()} keeps names only (an inventory
 * must not carry the values of ENV, which may be secrets), but running the image needs them, and its exact
 * argument vectors. Read from the config document the source kept ({@link ImageSource#configDocument()}).
 *
 * @param user         USER ("" for none)
 * @param env          ENV as NAME=VALUE
 * @param entrypoint   ENTRYPOINT
 * @param cmd          CMD
 * @param workingDir   WORKDIR ("" for none)
 * @param exposedPorts EXPOSE, e.g. "8080/tcp"
 * @param volumes      VOLUME paths
 * @param healthcheck  whether a HEALTHCHECK is set (and not NONE)
 * @param stopSignal   STOPSIGNAL ("" for none)
 * @param labels       LABEL names and values (empty when the source does not give them)
 * @param emptyLayerHistory the history's created_by of steps that added no layer (ENV, LABEL, ARG, USER...): the
 *                     layers' own lines are in {@link dev.bulwark.model.LayerInfo#createdBy()}, these are not
 * @param complete     false when only the facts of {@link ImageInfo#config()} were available (no values, argv
 *                     split on spaces): a source without an image config (a root filesystem)
 */
public record ImageRunConfig(String user, List<String> env, List<String> entrypoint, List<String> cmd, String workingDir,
                             List<String> exposedPorts, List<String> volumes, boolean healthcheck, String stopSignal,
                             Map<String, String> labels, List<String> emptyLayerHistory, boolean complete) {
    public ImageRunConfig {
        user = user == null ? "" : user;
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        exposedPorts = List.copyOf(exposedPorts);
        volumes = List.copyOf(volumes);
        stopSignal = stopSignal == null ? "" : stopSignal;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        emptyLayerHistory = emptyLayerHistory == null ? List.of() : List.copyOf(emptyLayerHistory);
    }

    /** Without labels and history: what running an image needs. */
    public ImageRunConfig(String user, List<String> env, List<String> entrypoint, List<String> cmd, String workingDir,
                          List<String> exposedPorts, List<String> volumes, boolean healthcheck, String stopSignal,
                          boolean complete) {
        this(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, healthcheck, stopSignal, Map.of(), List.of(),
                complete);
    }

    /** ENTRYPOINT then CMD, as a runtime builds argv; {@code override} replaces CMD when not empty. */
    public List<String> argv(List<String> override) {
        List<String> a = new ArrayList<>(entrypoint);
        a.addAll(override == null || override.isEmpty() ? cmd : override);
        return a;
    }

    /**
     * The run config of an open image, from the config document the source read ({@link ImageSource#configDocument()}:
     * every source with an image config keeps it), or the facts of {@link ImageInfo#config()} for one without.
     */
    public static ImageRunConfig of(ImageSource source) throws ImageException {
        byte[] doc = source.configDocument();
        ImageInfo info = source.info();
        return doc != null ? parse(doc, info.target() + " config") : fromFacts(info.config());
    }

    /**
     * From an image config document (OCI image config or Docker image JSON). Read with {@link WireJson}, the image
     * documents' own reader, not Jackson: `bulwark run` starts a JVM per container, and the first Jackson parser of
     * a JVM costs tens of milliseconds (on JDK 25 it initialises {@code BigDecimal}), more than the whole read.
     */
    public static ImageRunConfig parse(byte[] json, String where) throws ImageException {
        Object tree;
        try {
            tree = WireJson.parse(json);
        } catch (WireJson.Malformed e) {
            throw new ImageException(where, "image config is not JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> doc)) throw new ImageException(where, "image config is not a JSON object");
        Object c = doc.get("config");
        if (c != null && !(c instanceof Map<?, ?>)) throw new ImageException(where, "config is not an object");
        Map<?, ?> config = c == null ? Map.of() : (Map<?, ?>) c;
        List<String> history = doc.get("history") instanceof List<?> h ? emptyLayerHistory(h) : List.of();
        return new ImageRunConfig(text(config, "User", where), strings(config, "Env", where), strings(config, "Entrypoint", where),
                strings(config, "Cmd", where), text(config, "WorkingDir", where), keys(config, "ExposedPorts", where),
                keys(config, "Volumes", where), healthcheck(config.get("Healthcheck")), text(config, "StopSignal", where),
                labels(config.get("Labels"), where), history, true);
    }

    private static String text(Map<?, ?> config, String key, String where) throws ImageException {
        Object v = config.get(key);
        if (v == null) return "";
        if (!(v instanceof String t)) throw new ImageException(where, "config." + key + " is not a string");
        return t;
    }

    private static List<String> strings(Map<?, ?> config, String key, String where) throws ImageException {
        Object v = config.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> l)) throw new ImageException(where, "config." + key + " is not a list");
        List<String> out = new ArrayList<>(l.size());
        for (Object e : l) {
            if (!(e instanceof String t)) throw new ImageException(where, "config." + key + " holds a non-string");
            if (t.indexOf('\0') >= 0) throw new ImageException(where, "config." + key + " holds a NUL byte");
            out.add(t);
        }
        return out;
    }

    private static List<String> keys(Map<?, ?> config, String key, String where) throws ImageException {
        Object v = config.get(key);
        if (v == null) return List.of();
        if (!(v instanceof Map<?, ?> m)) throw new ImageException(where, "config." + key + " is not an object");
        TreeSet<String> out = new TreeSet<>();
        for (Object k : m.keySet()) out.add((String) k);
        return List.copyOf(out);
    }

    private static Map<String, String> labels(Object v, String where) throws ImageException {
        if (v == null) return Map.of();
        if (!(v instanceof Map<?, ?> m)) throw new ImageException(where, "config.Labels is not an object");
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() == null) out.put((String) e.getKey(), "");
            else if (e.getValue() instanceof String t) out.put((String) e.getKey(), t);
            else throw new ImageException(where, "config.Labels." + e.getKey() + " is not a string");
        }
        return out;
    }

    /** created_by of the history entries marked empty_layer (malformed entries are skipped: history is advisory). */
    private static List<String> emptyLayerHistory(List<?> history) {
        List<String> out = new ArrayList<>();
        for (Object e : history) {
            if (e instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("empty_layer")) && m.get("created_by") instanceof String by && !by.isEmpty())
                out.add(by);
        }
        return out;
    }

    /** Set, and its Test not ["NONE"]. */
    private static boolean healthcheck(Object v) {
        if (!(v instanceof Map<?, ?> m)) return false;
        return !(m.get("Test") instanceof List<?> test && !test.isEmpty() && "NONE".equals(test.get(0)));
    }

    private static ImageRunConfig fromFacts(Map<String, String> f) {
        return new ImageRunConfig(f.getOrDefault("user", ""), List.of(), split(f.get("entrypoint")), split(f.get("cmd")),
                f.getOrDefault("workingDir", ""), f.containsKey("exposedPorts") ? split(f.get("exposedPorts").replace(',', ' ')) : List.of(),
                List.of(), Boolean.parseBoolean(f.getOrDefault("healthcheck", "false")), "", false);
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.strip().split("\\s+")).toList();
    }
}
