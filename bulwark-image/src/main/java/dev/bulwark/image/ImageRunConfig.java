package dev.bulwark.image;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.bulwark.model.ImageInfo;

import java.io.IOException;
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
    private static final JsonFactory JSON = new JsonFactory();

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
     * From an image config document (OCI image config or Docker image JSON). Read with jackson-core's streaming
     * parser, skipping what it does not need: `bulwark run` starts a JVM per container, and databind's first use
     * would cost more than the whole read.
     */
    public static ImageRunConfig parse(byte[] json, String where) throws ImageException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new ImageException(where, "image config is not a JSON object");
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("config") && t == JsonToken.START_OBJECT) {
                    readRunConfig(p, f, where);
                } else if (name.equals("history") && t == JsonToken.START_ARRAY) {
                    f.emptyLayerHistory = emptyLayerHistory(p, where);
                } else if (name.equals("config") && t != JsonToken.VALUE_NULL) {
                    throw new ImageException(where, "config is not an object");
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) throw new ImageException(where, "image config is not JSON: trailing data");
            return new ImageRunConfig(f.user, f.env, f.entrypoint, f.cmd, f.workingDir, f.ports, f.volumes, f.health, f.stopSignal,
                    f.labels, f.emptyLayerHistory, true);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
            throw new ImageException(where, "image config is not JSON: " + m.lines().findFirst().orElse("").strip());
        } catch (IOException e) {
            throw new ImageException(where, "image config is not JSON: " + e.getMessage());
        }
    }

    private static final class Fields {
        String user = "";
        String workingDir = "";
        String stopSignal = "";
        List<String> env = List.of();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> ports = List.of();
        List<String> volumes = List.of();
        Map<String, String> labels = Map.of();
        List<String> emptyLayerHistory = List.of();
        boolean health;
    }

    private static void readRunConfig(JsonParser p, Fields f, String where) throws IOException, ImageException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            switch (key) {
                case "User" -> f.user = text(p, t, key, where);
                case "WorkingDir" -> f.workingDir = text(p, t, key, where);
                case "StopSignal" -> f.stopSignal = text(p, t, key, where);
                case "Env" -> f.env = strings(p, t, key, where);
                case "Entrypoint" -> f.entrypoint = strings(p, t, key, where);
                case "Cmd" -> f.cmd = strings(p, t, key, where);
                case "ExposedPorts" -> f.ports = keys(p, t, key, where);
                case "Volumes" -> f.volumes = keys(p, t, key, where);
                case "Healthcheck" -> f.health = healthcheck(p, t);
                case "Labels" -> f.labels = labels(p, t, where);
                default -> p.skipChildren();
            }
        }
    }

    private static String text(JsonParser p, JsonToken t, String key, String where) throws IOException, ImageException {
        if (t == JsonToken.VALUE_NULL) return "";
        if (t != JsonToken.VALUE_STRING) throw new ImageException(where, "config." + key + " is not a string");
        return p.getText();
    }

    private static List<String> strings(JsonParser p, JsonToken t, String key, String where) throws IOException, ImageException {
        if (t == JsonToken.VALUE_NULL) return List.of();
        if (t != JsonToken.START_ARRAY) throw new ImageException(where, "config." + key + " is not a list");
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.VALUE_STRING) throw new ImageException(where, "config." + key + " holds a non-string");
            String v = p.getText();
            if (v.indexOf('\0') >= 0) throw new ImageException(where, "config." + key + " holds a NUL byte");
            out.add(v);
        }
        return out;
    }

    private static List<String> keys(JsonParser p, JsonToken t, String key, String where) throws IOException, ImageException {
        if (t == JsonToken.VALUE_NULL) return List.of();
        if (t != JsonToken.START_OBJECT) throw new ImageException(where, "config." + key + " is not an object");
        TreeSet<String> out = new TreeSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            out.add(p.currentName());
            p.nextToken();
            p.skipChildren();
        }
        return List.copyOf(out);
    }

    private static Map<String, String> labels(JsonParser p, JsonToken t, String where) throws IOException, ImageException {
        if (t == JsonToken.VALUE_NULL) return Map.of();
        if (t != JsonToken.START_OBJECT) throw new ImageException(where, "config.Labels is not an object");
        Map<String, String> out = new java.util.TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                out.put(k, p.getText());
            } else if (v == JsonToken.VALUE_NULL) {
                out.put(k, "");
            } else {
                throw new ImageException(where, "config.Labels." + k + " is not a string");
            }
        }
        return out;
    }

    /** created_by of the history entries marked empty_layer (malformed entries are skipped: history is advisory). */
    private static List<String> emptyLayerHistory(JsonParser p, String where) throws IOException {
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String createdBy = null;
            boolean empty = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken v = p.nextToken();
                if (k.equals("created_by") && v == JsonToken.VALUE_STRING) createdBy = p.getText();
                else if (k.equals("empty_layer") && v == JsonToken.VALUE_TRUE) empty = true;
                else p.skipChildren();
            }
            if (empty && createdBy != null && !createdBy.isEmpty()) out.add(createdBy);
        }
        return out;
    }

    /** Set, and its Test not ["NONE"]. */
    private static boolean healthcheck(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return false;
        }
        boolean none = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (k.equals("Test") && v == JsonToken.START_ARRAY) {
                JsonToken first = p.nextToken();
                if (first == JsonToken.VALUE_STRING && p.getText().equals("NONE")) none = true;
                if (first != JsonToken.END_ARRAY) {
                    p.skipChildren();
                    while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        return !none;
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
