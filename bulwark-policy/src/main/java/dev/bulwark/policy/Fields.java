package dev.bulwark.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names and types of the variables a rule's condition sees. Docker and Kubernetes decoders fill the same
 * names where the meaning is the same (a privileged container is {@code privileged} whether it came as
 * HostConfig.Privileged or securityContext.privileged), so one rule covers both. Every variable always has a
 * value: what a request does not carry gets the type's empty value, so a condition never fails on a missing
 * field. Declared with their CEL types so that a typo or a wrong comparison is a load error, not a runtime deny.
 */
public final class Fields {
    // who and what
    public static final String SOURCE = "source";
    public static final String USER = "user";
    public static final String GROUPS = "groups";
    public static final String ACTION = "action";
    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String QUERY = "query";
    public static final String BODY = "body";
    public static final String CONTAINER = "container";
    public static final String NAME = "name";
    // image
    public static final String IMAGE = "image";
    public static final String REGISTRY = "registry";
    public static final String REPOSITORY = "repository";
    public static final String TAG = "tag";
    public static final String DIGEST = "digest";
    public static final String TAGS = "tags";
    // privileges and namespaces
    public static final String PRIVILEGED = "privileged";
    public static final String CAP_ADD = "capAdd";
    public static final String CAP_DROP = "capDrop";
    public static final String HOST_PATHS = "hostPaths";
    public static final String MOUNTS = "mounts";
    public static final String NETWORK_MODE = "networkMode";
    public static final String PID_MODE = "pidMode";
    public static final String IPC_MODE = "ipcMode";
    public static final String UTS_MODE = "utsMode";
    public static final String USERNS_MODE = "usernsMode";
    public static final String CGROUPNS_MODE = "cgroupnsMode";
    public static final String SECURITY_OPT = "securityOpt";
    public static final String SECCOMP_PROFILE = "seccompProfile";
    public static final String APPARMOR_PROFILE = "apparmorProfile";
    public static final String NO_NEW_PRIVILEGES = "noNewPrivileges";
    public static final String DEVICES = "devices";
    public static final String RUN_AS_USER = "runAsUser";
    public static final String READONLY_ROOTFS = "readonlyRootfs";
    // resources
    public static final String MEMORY = "memory";
    public static final String NANO_CPUS = "nanoCpus";
    public static final String CPU_SHARES = "cpuShares";
    public static final String PIDS_LIMIT = "pidsLimit";
    public static final String ULIMITS = "ulimits";
    // process
    public static final String ENV = "env";
    public static final String CMD = "cmd";
    public static final String ENTRYPOINT = "entrypoint";
    public static final String DRIVER = "driver";
    // Kubernetes only
    public static final String NAMESPACE = "kubeNamespace";
    public static final String KIND = "kind";
    public static final String OPERATION = "operation";
    public static final String CONTAINER_NAME = "containerName";
    // the policy's own parameters
    public static final String PARAMS = "params";

    private static final CelType STRINGS = ListType.create(SimpleType.STRING);

    /** Each variable with its CEL type, in documentation order. */
    static final Map<String, CelType> TYPES;
    /** The value of each variable when a request does not give it. */
    static final Map<String, Object> DEFAULTS;

    static {
        Map<String, CelType> t = new LinkedHashMap<>();
        for (String s : List.of(SOURCE, USER, ACTION, METHOD, PATH, CONTAINER, NAME, IMAGE, REGISTRY, REPOSITORY, TAG,
                DIGEST, NETWORK_MODE, PID_MODE, IPC_MODE, UTS_MODE, USERNS_MODE, CGROUPNS_MODE, SECCOMP_PROFILE,
                APPARMOR_PROFILE, RUN_AS_USER, DRIVER, NAMESPACE, KIND, OPERATION, CONTAINER_NAME)) {
            t.put(s, SimpleType.STRING);
        }
        for (String s : List.of(GROUPS, TAGS, CAP_ADD, CAP_DROP, HOST_PATHS, SECURITY_OPT, DEVICES, ULIMITS, ENV, CMD,
                ENTRYPOINT)) {
            t.put(s, STRINGS);
        }
        for (String s : List.of(PRIVILEGED, NO_NEW_PRIVILEGES, READONLY_ROOTFS)) t.put(s, SimpleType.BOOL);
        for (String s : List.of(MEMORY, NANO_CPUS, CPU_SHARES, PIDS_LIMIT)) t.put(s, SimpleType.INT);
        t.put(QUERY, MapType.create(SimpleType.STRING, SimpleType.STRING));
        t.put(MOUNTS, ListType.create(MapType.create(SimpleType.STRING, SimpleType.DYN)));
        t.put(BODY, SimpleType.DYN);
        t.put(PARAMS, MapType.create(SimpleType.STRING, SimpleType.DYN));
        TYPES = Collections.unmodifiableMap(t);

        Map<String, Object> d = new LinkedHashMap<>();
        for (Map.Entry<String, CelType> e : t.entrySet()) {
            CelType type = e.getValue();
            Object v;
            if (type == SimpleType.STRING) v = "";
            else if (type == SimpleType.BOOL) v = Boolean.FALSE;
            else if (type == SimpleType.INT) v = 0L;
            else if (type instanceof ListType) v = List.of();
            else v = Map.of();
            d.put(e.getKey(), v);
        }
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private Fields() {
    }

    /** The variable names, in documentation order. */
    public static List<String> names() {
        return List.copyOf(TYPES.keySet());
    }

    /** The CEL type of a variable as CEL prints it ("string", "list(string)"), or null when there is none. */
    public static String typeName(String variable) {
        CelType t = TYPES.get(variable);
        return t == null ? null : t.name().equals("list") || t.name().equals("map") ? display(t) : t.name();
    }

    private static String display(CelType t) {
        if (t instanceof ListType l) return "list(" + display(l.elemType()) + ")";
        if (t instanceof MapType m) return "map(" + display(m.keyType()) + ", " + display(m.valueType()) + ")";
        return t.name();
    }
}
