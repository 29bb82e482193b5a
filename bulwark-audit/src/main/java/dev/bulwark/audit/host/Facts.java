package dev.bulwark.audit.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.docker.DockerClient;
import dev.bulwark.docker.DockerException;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

/**
 * Everything the checks read, fetched once and shared: Engine API documents (fetched concurrently: the inspects of
 * all containers and images in parallel), the daemon's settings, host files and audit rules.
 */
final class Facts {
    private static final ObjectMapper JSON = new ObjectMapper();

    final HostView view;
    final HostFs fs;
    final DockerClient docker;
    private final ExecutorService executor;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final Memo<JsonNode> info;
    private final Memo<JsonNode> version;
    private final Memo<JsonNode> networks;
    private final Memo<List<Container>> containers;
    private final Memo<List<Image>> images;
    private final Memo<DaemonSettings> settings;
    private final Memo<AuditRules> auditRules;
    private final Memo<JsonNode> swarm;
    private final Map<String, Memo<JsonNode>> history = new ConcurrentHashMap<>();
    private final Map<String, Memo<JsonNode>> top = new ConcurrentHashMap<>();
    private final Memo<Map<String, List<String>>> processes;

    Facts(HostView view, DockerClient docker, ExecutorService executor) {
        this.view = view;
        this.fs = new HostFs(view.root());
        this.docker = docker;
        this.executor = executor;
        this.info = new Memo<>("GET /info", () -> docker.getJson("/info"));
        this.version = new Memo<>("GET /version", () -> docker.getJson("/version"));
        this.networks = new Memo<>("GET /networks", () -> docker.getJson("/networks"));
        this.containers = new Memo<>("containers", this::fetchContainers);
        this.images = new Memo<>("images", this::fetchImages);
        this.settings = new Memo<>("daemon settings", this::readSettings);
        this.auditRules = new Memo<>("audit rules", () -> AuditRules.read(fs, view.isLiveRoot()));
        this.swarm = new Memo<>("GET /swarm", () -> docker.getJson("/swarm"));
        this.processes = new Memo<>("container processes in /proc", this::scanProcesses);
    }

    /** Starts fetching what nearly every audit needs, all at once. */
    void prefetch() {
        for (Memo<?> m : List.of(info, version, networks, containers, images, settings, auditRules)) {
            m.prefetch(executor);
        }
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    void warn(String w) {
        if (!warnings.contains(w)) warnings.add(w);
    }

    JsonNode info() {
        return info.get();
    }

    JsonNode version() {
        return version.get();
    }

    JsonNode networks() {
        return networks.get();
    }

    List<Container> containers() {
        return containers.get();
    }

    List<Image> images() {
        return images.get();
    }

    DaemonSettings settings() {
        return settings.get();
    }

    AuditRules auditRules() {
        return auditRules.get();
    }

    /** GET /swarm (only answers on a swarm manager). */
    JsonNode swarm() {
        return swarm.get();
    }

    JsonNode history(Image image) {
        return history.computeIfAbsent(image.id(),
            id -> new Memo<>("GET /images/" + id + "/history", () -> docker.getJson("/images/" + enc(id) + "/history"))).get();
    }

    /** The processes of a running container ({@code GET /containers/{id}/top}: the host's ps on its pids). */
    JsonNode top(Container c) {
        return top.computeIfAbsent(c.id(),
            id -> new Memo<>("GET /containers/" + c.shortId() + "/top", () -> docker.getJson("/containers/" + id + "/top"))).get();
    }

    /**
     * The command lines of a running container's processes, read from the host's /proc (processes whose cgroup names
     * the container id), or empty when that is not possible: the daemon was not found in this /proc (another host,
     * another pid namespace) or no process of the container is visible. One scan of /proc serves every container;
     * asking the daemon instead ({@link #top}) runs ps once per container.
     */
    Optional<List<String>> processesOf(Container c) {
        List<String> p = processes.get().get(c.id());
        return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
    }

    private Map<String, List<String>> scanProcesses() throws IOException {
        Map<String, List<String>> out = new java.util.HashMap<>();
        boolean daemonHere;
        try {
            daemonHere = settings().process().map(p -> p.pid() > 0).orElse(false);
        } catch (Memo.FactException e) {
            daemonHere = false;
        }
        java.nio.file.Path proc = fs.root().resolve("proc");
        if (!daemonHere || !java.nio.file.Files.isDirectory(proc)) return out;
        java.util.Set<String> running = new java.util.HashSet<>();
        for (Container c : containers()) {
            if (c.running()) running.add(c.id());
        }
        if (running.isEmpty()) return out;
        java.util.regex.Pattern id = java.util.regex.Pattern.compile("[0-9a-f]{64}");
        try (var ds = java.nio.file.Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (java.nio.file.Path pid : ds) {
                String cgroup;
                try {
                    cgroup = java.nio.file.Files.readString(pid.resolve("cgroup"));
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                java.util.regex.Matcher m = id.matcher(cgroup);
                String owner = null;
                while (m.find()) {
                    if (running.contains(m.group())) {
                        owner = m.group();
                        break;
                    }
                }
                if (owner == null) continue;
                List<String> argv = DaemonProcess.cmdline(pid.resolve("cmdline"));
                String line = String.join(" ", argv);
                if (line.isBlank()) {
                    try {
                        line = "[" + java.nio.file.Files.readString(pid.resolve("comm")).strip() + "]";
                    } catch (IOException e) {
                        continue;
                    }
                }
                out.computeIfAbsent(owner, k -> new ArrayList<>()).add(line);
            }
        }
        return out;
    }

    JsonNode get(String path) throws DockerException {
        return docker.getJson(path);
    }

    /** SecurityOptions of /info ("name=seccomp,profile=default", "name=userns"...). */
    List<String> securityOptions() {
        return Container.strings(info().path("SecurityOptions"));
    }

    boolean securityOption(String name) {
        return securityOptions().stream().anyMatch(s -> s.equals("name=" + name) || s.startsWith("name=" + name + ","));
    }

    boolean swarmActive() {
        return info().path("Swarm").path("LocalNodeState").asText("").equals("active");
    }

    // ------------------------------------------------------------------ fetching

    private List<Container> fetchContainers() throws Exception {
        JsonNode list = docker.getJson("/containers/json" + (view.includeStopped() ? "?all=1" : ""));
        List<CompletableFuture<Optional<Container>>> futures = new ArrayList<>();
        for (JsonNode c : list) {
            String id = c.path("Id").asText();
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Optional.of(Container.of(docker.getJson("/containers/" + id + "/json")));
                } catch (DockerException e) {
                    if (e.status() == 404) return Optional.empty(); // removed meanwhile
                    throw new Memo.FactException("GET /containers/" + id + "/json: " + e.getMessage(), e);
                }
            }, executor));
        }
        List<Container> out = new ArrayList<>();
        for (var f : futures) f.join().ifPresent(out::add);
        out.sort(java.util.Comparator.comparing(Container::name));
        return List.copyOf(out);
    }

    private List<Image> fetchImages() throws Exception {
        JsonNode list = docker.getJson("/images/json");
        List<CompletableFuture<Optional<Image>>> futures = new ArrayList<>();
        for (JsonNode i : list) {
            String id = i.path("Id").asText();
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Optional.of(Image.of(docker.getJson("/images/" + enc(id) + "/json")));
                } catch (DockerException e) {
                    if (e.status() == 404) return Optional.empty();
                    throw new Memo.FactException("GET /images/" + id + "/json: " + e.getMessage(), e);
                }
            }, executor));
        }
        List<Image> out = new ArrayList<>();
        for (var f : futures) f.join().ifPresent(out::add);
        out.sort(java.util.Comparator.comparing(Image::name));
        return List.copyOf(out);
    }

    private DaemonSettings readSettings() throws IOException {
        Optional<DaemonProcess> process;
        if (view.daemonCommandLine() != null) {
            process = Optional.of(DaemonProcess.given(view.daemonCommandLine()));
        } else {
            String rootDir = null;
            try {
                rootDir = info().path("DockerRootDir").asText(null);
            } catch (Memo.FactException e) {
                // locate by socket only
            }
            process = DaemonProcess.find(fs, docker.host(), rootDir, args -> {
                JsonNode cfg = readConfig(configPathOf(args)).config;
                return DaemonSettings.hostsOf(args, cfg);
            });
            if (process.isEmpty()) {
                warn("no dockerd process serving " + docker.host() + " was found under " + fs.root().resolve("proc")
                    + ": daemon checks use daemon.json and /info only (give the command line with --daemon-args)");
            }
        }
        DaemonArgs args = process.map(p -> DaemonArgs.parse(p.argv())).orElse(DaemonArgs.parse(List.of()));
        String path = configPathOf(args);
        Config cfg = readConfig(path);
        if (!cfg.error.isEmpty()) warn("daemon.json " + path + ": " + cfg.error);
        return new DaemonSettings(args, process.isPresent(), process, path, cfg.config, cfg.exists, cfg.error);
    }

    private String configPathOf(DaemonArgs args) {
        if (view.daemonConfig() != null) return view.daemonConfig().toString();
        return args.last("config-file").orElse(DaemonSettings.DEFAULT_CONFIG);
    }

    private record Config(ObjectNode config, boolean exists, String error) {
    }

    private Config readConfig(String hostPath) {
        try {
            Optional<String> text = fs.read(hostPath);
            if (text.isEmpty()) return new Config(JsonNodeFactory.instance.objectNode(), false, "");
            JsonNode n = JSON.readTree(text.get().isBlank() ? "{}" : text.get());
            if (n instanceof ObjectNode o) return new Config(o, true, "");
            return new Config(JsonNodeFactory.instance.objectNode(), true, "not a JSON object");
        } catch (IOException e) {
            return new Config(JsonNodeFactory.instance.objectNode(), true, "unreadable: " + e.getMessage());
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
