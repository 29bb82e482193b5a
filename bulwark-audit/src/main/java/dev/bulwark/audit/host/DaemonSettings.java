package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's configuration as the daemon itself assembles it: command-line flags and daemon.json (dockerd refuses
 * to start when both set the same key, so at most one of them speaks for a key). The effective state the daemon
 * reports in {@code /info} is consulted by the checks themselves.
 *
 * @param args             the command line (empty when unknown)
 * @param commandLineKnown false when no dockerd process was found and none was given
 * @param process          the process, when found
 * @param configPath       the host path of daemon.json
 * @param config           its content (empty object when absent or unreadable)
 * @param configExists     whether the file exists
 * @param configError      why it could not be read, or empty
 */
record DaemonSettings(DaemonArgs args, boolean commandLineKnown, Optional<DaemonProcess> process, String configPath,
                      ObjectNode config, boolean configExists, String configError) {

    static final String DEFAULT_CONFIG = "/etc/docker/daemon.json";

    /** daemon.json keys whose flag is spelled differently. */
    private static final Map<String, String> FLAG_OF = Map.ofEntries(
        Map.entry("insecure-registries", "insecure-registry"),
        Map.entry("authorization-plugins", "authorization-plugin"),
        Map.entry("default-ulimits", "default-ulimit"),
        Map.entry("storage-opts", "storage-opt"),
        Map.entry("hosts", "host"),
        Map.entry("log-opts", "log-opt"),
        Map.entry("registry-mirrors", "registry-mirror"),
        Map.entry("exec-opts", "exec-opt"),
        Map.entry("labels", "label"),
        Map.entry("allow-nondistributable-artifacts", "allow-nondistributable-artifacts"));

    static DaemonSettings empty() {
        return new DaemonSettings(DaemonArgs.parse(List.of()), false, Optional.empty(), DEFAULT_CONFIG,
            JsonNodeFactory.instance.objectNode(), false, "");
    }

    static String flagOf(String jsonKey) {
        return FLAG_OF.getOrDefault(jsonKey, jsonKey);
    }

    /**
     * Where a setting comes from and what it says.
     *
     * @param values its values (one for scalars; several for lists and repeated flags)
     * @param source "dockerd --icc=false" or "/etc/docker/daemon.json \"icc\": false"
     */
    record Setting(List<String> values, String source) {
        String first() {
            return values.isEmpty() ? "" : values.getFirst();
        }

        String last() {
            return values.isEmpty() ? "" : values.getLast();
        }
    }

    /** The setting of a daemon.json key from the flags or from daemon.json, or empty when neither sets it. */
    Optional<Setting> get(String jsonKey) {
        String flag = flagOf(jsonKey);
        List<String> fromFlags = args.all(flag);
        if (!fromFlags.isEmpty()) {
            List<String> shown = new ArrayList<>();
            for (String v : fromFlags) shown.add("--" + flag + "=" + v);
            return Optional.of(new Setting(fromFlags, "dockerd " + String.join(" ", shown)));
        }
        JsonNode n = config.get(jsonKey);
        if (n == null || n.isNull()) return Optional.empty();
        List<String> values = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> values.add(e.isValueNode() ? e.asText() : e.toString()));
        } else if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isObject() && v.has("Soft") && v.has("Hard")) {
                    values.add(e.getKey() + "=" + v.path("Soft").asText() + ":" + v.path("Hard").asText());
                } else {
                    values.add(e.getKey() + "=" + (v.isValueNode() ? v.asText() : v.toString()));
                }
            }
        } else {
            values.add(n.asText());
        }
        return Optional.of(new Setting(values, configPath + " \"" + jsonKey + "\": " + n));
    }

    /** A boolean setting: flag "--icc=false" or daemon.json "icc": false. */
    Optional<Boolean> bool(String jsonKey) {
        Optional<Boolean> f = args.bool(flagOf(jsonKey));
        if (f.isPresent()) return f;
        JsonNode n = config.get(jsonKey);
        if (n == null || n.isNull()) return Optional.empty();
        if (n.isBoolean()) return Optional.of(n.booleanValue());
        String s = n.asText().toLowerCase(Locale.ROOT);
        return Optional.of(s.equals("true") || s.equals("1"));
    }

    /** Every value of a list setting, flags and daemon.json together. */
    List<String> list(String jsonKey) {
        return get(jsonKey).map(Setting::values).orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
    }

    /** The hosts (-H / "hosts") the daemon listens on; the default unix socket when none is set. */
    List<String> hosts() {
        List<String> h = list("hosts");
        return h.isEmpty() ? List.of("unix:///var/run/docker.sock") : h;
    }

    /** Hosts from flags and a daemon.json already read: for locating the daemon before settings exist. */
    static List<String> hostsOf(DaemonArgs args, JsonNode config) {
        List<String> h = new ArrayList<>(args.all("host"));
        JsonNode n = config == null ? null : config.get("hosts");
        if (n != null && n.isArray()) n.forEach(e -> h.add(e.asText()));
        return h;
    }

    /** Where the command line came from, for evidence. */
    String commandLineSource() {
        if (!commandLineKnown) return "dockerd command line unknown";
        return process.map(p -> p.pid() > 0 ? "dockerd pid " + p.pid() : "dockerd command line given").orElse("dockerd");
    }
}
