package dev.bulwark.harden.apparmor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.bulwark.harden.HardenException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads bane's TOML strictly: a key bane does not know is an error (a misspelt {@code WriteablePaths} would
 * otherwise silently grant nothing), and every value is checked before it reaches a profile, so no path or name
 * can smuggle AppArmor syntax in. Errors name the line: the parser's for syntax, the key's first line otherwise.
 */
final class BaneToml {
    static final int MAX_BYTES = 1 << 20;
    private static final TomlMapper MAPPER = new TomlMapper();
    private static final Map<String, Set<String>> KEYS = Map.of(
            "Filesystem", Set.of("ReadOnlyPaths", "LogOnWritePaths", "WritablePaths", "AllowExec", "DenyExec"),
            "Capabilities", Set.of("Allow"),
            "Network", Set.of("Raw", "Packet", "Protocols"));
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
    static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");
    /** capabilities(7) of Linux 6.1, as AppArmor spells them. */
    static final Set<String> CAPABILITIES = Set.of("chown", "dac_override", "dac_read_search", "fowner", "fsetid",
            "kill", "setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin",
            "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
            "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
            "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
            "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore");

    private final String source;
    private final String text;

    private BaneToml(String source, String text) {
        this.source = source;
        this.text = text;
    }

    static BaneConfig parse(byte[] bytes, String source) throws HardenException {
        if (bytes.length > MAX_BYTES) throw new HardenException(source, "larger than 1 MiB: not a bane profile");
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new HardenException(line > 0 ? source + ":" + line : source, "malformed TOML: " + HardenException.jacksonMessage(e), e);
        }
        if (root == null || !root.isObject()) throw new HardenException(source, "empty file: expected bane's TOML");
        return new BaneToml(source, text).config(root);
    }

    private BaneConfig config(JsonNode root) throws HardenException {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("Name") && !KEYS.containsKey(k)) throw error(k, "unknown key " + k + " (bane knows Name, Filesystem, Capabilities, Network)");
            if (KEYS.containsKey(k)) {
                JsonNode t = root.get(k);
                if (!t.isObject()) throw error(k, k + " must be a table");
                for (Iterator<String> f = t.fieldNames(); f.hasNext(); ) {
                    String fk = f.next();
                    if (!KEYS.get(k).contains(fk)) throw error(fk, "unknown key " + k + "." + fk + " (known: " + String.join(", ", KEYS.get(k).stream().sorted().toList()) + ")");
                }
            }
        }
        String name = "";
        if (root.has("Name")) {
            if (!root.get("Name").isTextual()) throw error("Name", "Name must be a string");
            name = root.get("Name").asText();
            if (!NAME.matcher(name).matches()) throw error("Name", "Name '" + clip(name) + "' is not a profile name (letters, digits, _ . -)");
        }
        JsonNode fs = root.path("Filesystem");
        JsonNode caps = root.path("Capabilities");
        JsonNode net = root.path("Network");
        List<String> capabilities = new ArrayList<>();
        for (String c : strings(caps, "Allow")) {
            String n = c.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", "");
            if (!CAPABILITIES.contains(n)) throw error("Allow", "unknown capability " + clip(c));
            if (!capabilities.contains(n)) capabilities.add(n);
        }
        List<String> protocols = new ArrayList<>();
        for (String p : strings(net, "Protocols")) {
            String n = p.toLowerCase(java.util.Locale.ROOT);
            if (!PROTOCOLS.contains(n)) throw error("Protocols", "unknown protocol " + clip(p) + " (tcp, udp, icmp)");
            if (!protocols.contains(n)) protocols.add(n);
        }
        return new BaneConfig(name, paths(fs, "ReadOnlyPaths"), paths(fs, "LogOnWritePaths"), paths(fs, "WritablePaths"),
                paths(fs, "AllowExec"), paths(fs, "DenyExec"), capabilities, bool(net, "Raw"), bool(net, "Packet"), protocols);
    }

    private boolean bool(JsonNode table, String key) throws HardenException {
        JsonNode v = table.get(key);
        if (v == null) return false;
        if (!v.isBoolean()) throw error(key, key + " must be true or false");
        return v.asBoolean();
    }

    private List<String> strings(JsonNode table, String key) throws HardenException {
        JsonNode v = table.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (!v.isArray()) throw error(key, key + " must be an array of strings");
        for (JsonNode e : v) {
            if (!e.isTextual()) throw error(key, key + " must be an array of strings");
            out.add(e.asText());
        }
        return out;
    }

    private List<String> paths(JsonNode table, String key) throws HardenException {
        List<String> out = new ArrayList<>();
        for (String p : strings(table, key)) {
            // Paths are written quoted; a quote, backslash or control character could end the quote and add rules.
            if (!(p.startsWith("/") || p.startsWith("@{")) || p.length() > 4096
                    || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '"' || c == '\\')) {
                throw error(key, key + ": '" + clip(p) + "' is not an absolute path AppArmor can take (no quotes, backslashes, control characters)");
            }
            out.add(p);
        }
        return out;
    }

    private HardenException error(String key, String message) {
        int line = lineOf(key);
        return new HardenException(line > 0 ? source + ":" + line : source, message);
    }

    /** The first line where the key is written (bare, quoted or dotted), for messages about values. */
    private int lineOf(String key) {
        Pattern p = Pattern.compile("(^|[\\s.\\[\"'])" + Pattern.quote(key) + "[\"']?\\s*[=\\].]");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i]).find()) return i + 1;
        }
        return -1;
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
