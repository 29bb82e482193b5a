package dev.bulwark.policy.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker Engine API endpoints (API 1.24 to 1.47) and the action each belongs to. The path is matched after
 * the version prefix ({@code /v1.41}) is stripped, percent-escapes decoded and the path cleaned as Go's router
 * cleans it; {@code {id}} is one path segment, {@code {name}} may hold slashes (image and plugin names do).
 * Anything else is {@code unknown}, which the baseline denies.
 */
final class Routes {
    record Route(String method, Pattern pattern, String action, String template) {
    }

    record Match(String action, String target) {
    }

    private static final List<Route> ROUTES = new ArrayList<>();

    private static void r(String method, String path, String action) {
        String regex = Pattern.quote(path).replace("{id}", "\\E([^/]+)\\Q").replace("{name}", "\\E(.+)\\Q");
        ROUTES.add(new Route(method, Pattern.compile(regex), action, path));
    }

    static {
        // containers
        r("GET", "/containers/json", "container.list");
        r("POST", "/containers/create", "container.create");
        r("POST", "/containers/prune", "container.prune");
        r("GET", "/containers/{id}/json", "container.inspect");
        r("GET", "/containers/{id}/top", "container.inspect");
        r("GET", "/containers/{id}/changes", "container.inspect");
        r("GET", "/containers/{id}/logs", "container.logs");
        r("GET", "/containers/{id}/export", "container.export");
        r("GET", "/containers/{id}/stats", "container.stats");
        r("POST", "/containers/{id}/resize", "container.resize");
        r("POST", "/containers/{id}/start", "container.start");
        r("POST", "/containers/{id}/stop", "container.stop");
        r("POST", "/containers/{id}/restart", "container.restart");
        r("POST", "/containers/{id}/kill", "container.kill");
        r("POST", "/containers/{id}/update", "container.update");
        r("POST", "/containers/{id}/rename", "container.rename");
        r("POST", "/containers/{id}/pause", "container.pause");
        r("POST", "/containers/{id}/unpause", "container.unpause");
        r("POST", "/containers/{id}/attach", "container.attach");
        r("GET", "/containers/{id}/attach/ws", "container.attach");
        r("POST", "/containers/{id}/wait", "container.wait");
        r("DELETE", "/containers/{id}", "container.delete");
        r("HEAD", "/containers/{id}/archive", "container.archive");
        r("GET", "/containers/{id}/archive", "container.archive");
        r("PUT", "/containers/{id}/archive", "container.copy");
        r("POST", "/containers/{id}/copy", "container.archive");
        r("POST", "/containers/{id}/exec", "container.exec");
        r("POST", "/exec/{id}/start", "container.exec");
        r("POST", "/exec/{id}/resize", "container.exec");
        r("GET", "/exec/{id}/json", "container.inspect");
        // images
        r("GET", "/images/json", "image.list");
        r("POST", "/build", "image.build");
        r("POST", "/build/prune", "image.prune");
        r("POST", "/build/cancel", "image.build");
        r("POST", "/images/create", "image.pull");
        r("GET", "/images/search", "image.search");
        r("POST", "/images/prune", "image.prune");
        r("POST", "/images/load", "image.load");
        r("GET", "/images/get", "image.save");
        r("POST", "/commit", "image.commit");
        r("GET", "/images/{name}/json", "image.inspect");
        r("GET", "/images/{name}/history", "image.inspect");
        r("GET", "/images/{name}/get", "image.save");
        r("POST", "/images/{name}/push", "image.push");
        r("POST", "/images/{name}/tag", "image.tag");
        r("DELETE", "/images/{name}", "image.delete");
        r("GET", "/distribution/{name}/json", "image.inspect");
        // networks
        r("GET", "/networks", "network.list");
        r("POST", "/networks/create", "network.create");
        r("POST", "/networks/prune", "network.prune");
        r("GET", "/networks/{id}", "network.inspect");
        r("DELETE", "/networks/{id}", "network.delete");
        r("POST", "/networks/{id}/connect", "network.connect");
        r("POST", "/networks/{id}/disconnect", "network.disconnect");
        // volumes
        r("GET", "/volumes", "volume.list");
        r("POST", "/volumes/create", "volume.create");
        r("POST", "/volumes/prune", "volume.prune");
        r("GET", "/volumes/{name}", "volume.inspect");
        r("PUT", "/volumes/{name}", "volume.update");
        r("DELETE", "/volumes/{name}", "volume.delete");
        // plugins
        r("GET", "/plugins", "plugin.list");
        r("GET", "/plugins/privileges", "plugin.privileges");
        r("POST", "/plugins/pull", "plugin.install");
        r("POST", "/plugins/create", "plugin.create");
        r("GET", "/plugins/{name}/json", "plugin.inspect");
        r("POST", "/plugins/{name}/enable", "plugin.enable");
        r("POST", "/plugins/{name}/disable", "plugin.disable");
        r("POST", "/plugins/{name}/upgrade", "plugin.upgrade");
        r("POST", "/plugins/{name}/push", "plugin.push");
        r("POST", "/plugins/{name}/set", "plugin.configure");
        r("DELETE", "/plugins/{name}", "plugin.delete");
        // swarm
        r("GET", "/swarm", "swarm.inspect");
        r("POST", "/swarm/init", "swarm.init");
        r("POST", "/swarm/join", "swarm.join");
        r("POST", "/swarm/leave", "swarm.leave");
        r("POST", "/swarm/update", "swarm.update");
        r("GET", "/swarm/unlockkey", "swarm.unlockkey");
        r("POST", "/swarm/unlock", "swarm.unlock");
        r("GET", "/nodes", "swarm.node.list");
        r("GET", "/nodes/{id}", "swarm.node.inspect");
        r("DELETE", "/nodes/{id}", "swarm.node.delete");
        r("POST", "/nodes/{id}/update", "swarm.node.update");
        r("GET", "/services", "swarm.service.list");
        r("POST", "/services/create", "swarm.service.create");
        r("GET", "/services/{id}", "swarm.service.inspect");
        r("DELETE", "/services/{id}", "swarm.service.delete");
        r("POST", "/services/{id}/update", "swarm.service.update");
        r("GET", "/services/{id}/logs", "swarm.service.logs");
        r("GET", "/tasks", "swarm.task.list");
        r("GET", "/tasks/{id}", "swarm.task.inspect");
        r("GET", "/tasks/{id}/logs", "swarm.task.logs");
        for (String kind : List.of("secret", "config")) {
            r("GET", "/" + kind + "s", "swarm." + kind + ".list");
            r("POST", "/" + kind + "s/create", "swarm." + kind + ".create");
            r("GET", "/" + kind + "s/{id}", "swarm." + kind + ".inspect");
            r("DELETE", "/" + kind + "s/{id}", "swarm." + kind + ".delete");
            r("POST", "/" + kind + "s/{id}/update", "swarm." + kind + ".update");
        }
        // system
        r("GET", "/_ping", "system.ping");
        r("HEAD", "/_ping", "system.ping");
        r("GET", "/version", "system.version");
        r("GET", "/info", "system.info");
        r("GET", "/events", "system.events");
        r("GET", "/system/df", "system.df");
        r("POST", "/auth", "system.auth");
        r("POST", "/session", "system.session");
        r("POST", "/grpc", "system.session");
    }

    private static final Pattern VERSION = Pattern.compile("^/v[0-9][0-9.]*(?=/)");

    private Routes() {
    }

    /** Every route as "METHOD /path action", for the documentation and its test. */
    static List<String> table() {
        return ROUTES.stream().map(r -> r.method() + " " + r.template() + " " + r.action()).toList();
    }

    /** The path without query and version prefix, decoded and cleaned; null when it cannot be decoded. */
    static String path(String uri) {
        String p = uri;
        int q = p.indexOf('?');
        if (q >= 0) p = p.substring(0, q);
        int h = p.indexOf('#');
        if (h >= 0) p = p.substring(0, h);
        String decoded = percentDecode(p, false);
        if (decoded == null || !decoded.startsWith("/")) return null;
        String clean = HostPaths.normalise(decoded);
        if (clean == null) return null;
        Matcher m = VERSION.matcher(clean);
        return m.find() ? clean.substring(m.end()) : clean;
    }

    /** The action of a request; {@code unknown} when no route fits. */
    static Match match(String method, String path) {
        for (Route r : ROUTES) {
            if (!r.method().equals(method)) continue;
            Matcher m = r.pattern().matcher(path);
            if (m.matches()) return new Match(r.action(), m.groupCount() > 0 ? m.group(1) : "");
        }
        return new Match(dev.bulwark.policy.Actions.UNKNOWN, "");
    }

    /** %XX decoding (and '+' as space in queries); null for a malformed escape or bytes that are not UTF-8. */
    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) return s;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
