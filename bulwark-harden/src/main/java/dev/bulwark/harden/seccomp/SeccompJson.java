package dev.bulwark.harden.seccomp;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.bulwark.harden.HardenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker / OCI seccomp JSON, read with Jackson's streaming parser so that every complaint names its line. Keys the
 * format does not define are skipped, as Docker's Go decoder skips them; a wrong type or an unknown action, operator
 * or architecture is an error, as it is for runc.
 */
final class SeccompJson {
    /** Docker's default profile is 20 KB; anything this big is not a profile. */
    static final int MAX_BYTES = 8 << 20;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
            .build();

    private final String source;
    private JsonParser p;

    private SeccompJson(String source) {
        this.source = source;
    }

    static SeccompProfile read(byte[] json, String source) throws HardenException {
        if (json.length > MAX_BYTES) {
            throw new HardenException(source, "larger than " + (MAX_BYTES >> 20) + " MiB: not a seccomp profile");
        }
        SeccompJson r = new SeccompJson(source);
        try (JsonParser parser = FACTORY.createParser(json)) {
            r.p = parser;
            JsonToken t = parser.nextToken();
            if (t == null) throw new HardenException(source, "empty file: expected a JSON object");
            SeccompProfile profile = r.profile();
            if (parser.nextToken() != null) throw r.error("unexpected content after the profile object");
            return profile;
        } catch (JsonProcessingException e) {
            // Limits (nesting, string length) carry no location of their own: the parser's position is the place.
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : r.p != null ? r.p.currentLocation().getLineNr() : -1;
            throw new HardenException(line > 0 ? source + ":" + line : source, "malformed JSON: " + HardenException.jacksonMessage(e), e);
        } catch (IOException e) {
            throw new HardenException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    private HardenException error(String message) {
        int line = p.currentTokenLocation().getLineNr();
        return new HardenException(line > 0 ? source + ":" + line : source, message);
    }

    private void expect(JsonToken token, String what) throws HardenException {
        if (p.currentToken() != token) throw error(what + " must be " + describe(token) + ", not " + describe(p.currentToken()));
    }

    private static String describe(JsonToken t) {
        if (t == null) return "end of input";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private SeccompProfile profile() throws IOException, HardenException {
        expect(JsonToken.START_OBJECT, "a seccomp profile");
        Action defaultAction = null;
        Integer defaultErrno = null;
        List<Arch> arches = List.of();
        List<ArchMapping> archMap = List.of();
        List<String> flags = List.of();
        List<SyscallRule> rules = List.of();
        int archLine = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (p.currentToken() == JsonToken.VALUE_NULL) continue;
            switch (key) {
                case "defaultAction" -> defaultAction = action("defaultAction");
                case "defaultErrnoRet" -> defaultErrno = errno("defaultErrnoRet");
                case "architectures" -> {
                    archLine = p.currentTokenLocation().getLineNr();
                    arches = archList("architectures");
                }
                case "archMap" -> archMap = archMap();
                case "flags" -> flags = strings("flags");
                case "syscalls" -> rules = rules();
                default -> p.skipChildren();
            }
        }
        if (defaultAction == null) throw new HardenException(source, "no defaultAction");
        if (!arches.isEmpty() && !archMap.isEmpty()) {
            throw new HardenException(source + ":" + archLine, "use either architectures or archMap, not both (Docker refuses both)");
        }
        return new SeccompProfile(defaultAction, defaultErrno, arches, archMap, flags, rules);
    }

    private Action action(String what) throws IOException, HardenException {
        expect(JsonToken.VALUE_STRING, what);
        String s = p.getText();
        return Action.parse(s).orElseThrow(() -> error("unknown action " + s + " in " + what));
    }

    private Integer errno(String what) throws IOException, HardenException {
        expect(JsonToken.VALUE_NUMBER_INT, what);
        if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0 || p.getIntValue() > 4095) {
            throw error(what + " " + p.getText() + " is not an errno (0 to 4095)");
        }
        return p.getIntValue();
    }

    private List<String> strings(String what) throws IOException, HardenException {
        expect(JsonToken.START_ARRAY, what);
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(JsonToken.VALUE_STRING, "each of " + what);
            out.add(p.getText());
        }
        return out;
    }

    private List<Arch> archList(String what) throws IOException, HardenException {
        expect(JsonToken.START_ARRAY, what);
        List<Arch> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(scmpArch(what));
        }
        return out;
    }

    private Arch scmpArch(String what) throws IOException, HardenException {
        expect(JsonToken.VALUE_STRING, "each of " + what);
        String s = p.getText();
        for (Arch a : Arch.values()) {
            if (a.scmpName().equals(s)) return a;
        }
        throw error("unknown architecture " + s + " in " + what);
    }

    private List<ArchMapping> archMap() throws IOException, HardenException {
        expect(JsonToken.START_ARRAY, "archMap");
        List<ArchMapping> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(JsonToken.START_OBJECT, "each archMap entry");
            Arch main = null;
            List<Arch> subs = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (p.currentToken() == JsonToken.VALUE_NULL) continue;
                switch (key) {
                    case "architecture" -> main = scmpArch("architecture");
                    case "subArchitectures" -> subs = archList("subArchitectures");
                    default -> p.skipChildren();
                }
            }
            if (main == null) throw error("archMap entry without architecture");
            out.add(new ArchMapping(main, subs));
        }
        return out;
    }

    private List<SyscallRule> rules() throws IOException, HardenException {
        expect(JsonToken.START_ARRAY, "syscalls");
        List<SyscallRule> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(rule());
        }
        return out;
    }

    private SyscallRule rule() throws IOException, HardenException {
        expect(JsonToken.START_OBJECT, "each syscalls entry");
        int line = p.currentTokenLocation().getLineNr();
        List<String> names = null;
        String name = null;
        Action action = null;
        Integer errno = null;
        List<ArgRule> args = List.of();
        String comment = null;
        Condition includes = null;
        Condition excludes = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (p.currentToken() == JsonToken.VALUE_NULL) continue;
            switch (key) {
                case "names" -> names = strings("names");
                case "name" -> {
                    expect(JsonToken.VALUE_STRING, "name");
                    name = p.getText();
                }
                case "action" -> action = action("action");
                case "errnoRet" -> errno = errno("errnoRet");
                case "args" -> args = args();
                case "comment" -> {
                    expect(JsonToken.VALUE_STRING, "comment");
                    comment = p.getText();
                }
                case "includes" -> includes = condition("includes");
                case "excludes" -> excludes = condition("excludes");
                default -> p.skipChildren();
            }
        }
        String where = source + ":" + line;
        if (name != null && names != null && !names.isEmpty()) {
            throw new HardenException(where, "use either name or names, not both (Docker refuses both)");
        }
        if (name != null) names = List.of(name);
        if (names == null || names.isEmpty()) throw new HardenException(where, "syscalls entry without names");
        for (String n : names) {
            if (!n.matches("[a-z_][a-z0-9_]{0,63}")) throw new HardenException(where, "not a syscall name: '" + clip(n) + "'");
        }
        if (action == null) throw new HardenException(where, "syscalls entry without action");
        return new SyscallRule(names, action, errno, args, comment, includes, excludes);
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    private List<ArgRule> args() throws IOException, HardenException {
        expect(JsonToken.START_ARRAY, "args");
        List<ArgRule> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(JsonToken.START_OBJECT, "each args entry");
            int index = -1;
            long value = 0;
            long valueTwo = 0;
            Op op = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (p.currentToken() == JsonToken.VALUE_NULL) continue;
                switch (key) {
                    case "index" -> {
                        expect(JsonToken.VALUE_NUMBER_INT, "index");
                        if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0 || p.getIntValue() > 5) {
                            throw error("argument index " + p.getText() + " is not 0 to 5");
                        }
                        index = p.getIntValue();
                    }
                    case "value" -> value = u64("value");
                    case "valueTwo" -> valueTwo = u64("valueTwo");
                    case "op" -> {
                        expect(JsonToken.VALUE_STRING, "op");
                        String s = p.getText();
                        op = Op.parse(s).orElseThrow(() -> error("unknown comparison " + s));
                    }
                    default -> p.skipChildren();
                }
            }
            if (index < 0) throw error("args entry without index");
            if (op == null) throw error("args entry without op");
            out.add(new ArgRule(index, value, valueTwo, op));
        }
        return out;
    }

    private long u64(String what) throws IOException, HardenException {
        expect(JsonToken.VALUE_NUMBER_INT, what);
        BigInteger v = p.getBigIntegerValue();
        if (v.signum() < 0 || v.compareTo(U64_MAX) > 0) throw error(what + " " + p.getText() + " is not an unsigned 64-bit number");
        return v.longValue();
    }

    private Condition condition(String what) throws IOException, HardenException {
        expect(JsonToken.START_OBJECT, what);
        List<String> caps = List.of();
        List<String> arches = List.of();
        String minKernel = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (p.currentToken() == JsonToken.VALUE_NULL) continue;
            switch (key) {
                case "caps" -> caps = strings(what + ".caps");
                case "arches" -> arches = strings(what + ".arches");
                case "minKernel" -> {
                    expect(JsonToken.VALUE_STRING, what + ".minKernel");
                    minKernel = p.getText();
                    if (!KernelVersion.valid(minKernel)) throw error("minKernel '" + clip(minKernel) + "' is not a kernel version like 4.8");
                }
                default -> p.skipChildren();
            }
        }
        return new Condition(caps, arches, minKernel);
    }

    // ------------------------------------------------------------------ writing

    static byte[] write(SeccompProfile profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(profile, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    static void write(SeccompProfile profile, OutputStream out) throws IOException {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeStringField("defaultAction", profile.defaultAction().scmpName());
            if (profile.defaultErrnoRet() != null) g.writeNumberField("defaultErrnoRet", profile.defaultErrnoRet());
            if (!profile.architectures().isEmpty()) {
                g.writeArrayFieldStart("architectures");
                for (Arch a : profile.architectures()) g.writeString(a.scmpName());
                g.writeEndArray();
            }
            if (!profile.archMap().isEmpty()) {
                g.writeArrayFieldStart("archMap");
                for (ArchMapping m : profile.archMap()) {
                    g.writeStartObject();
                    g.writeStringField("architecture", m.architecture().scmpName());
                    g.writeArrayFieldStart("subArchitectures");
                    for (Arch a : m.subArchitectures()) g.writeString(a.scmpName());
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!profile.flags().isEmpty()) {
                g.writeArrayFieldStart("flags");
                for (String f : profile.flags()) g.writeString(f);
                g.writeEndArray();
            }
            g.writeArrayFieldStart("syscalls");
            for (SyscallRule r : profile.syscalls()) writeRule(g, r);
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeRule(JsonGenerator g, SyscallRule r) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("names");
        for (String n : r.names()) g.writeString(n);
        g.writeEndArray();
        g.writeStringField("action", r.action().scmpName());
        if (r.errnoRet() != null) g.writeNumberField("errnoRet", r.errnoRet());
        if (!r.args().isEmpty()) {
            g.writeArrayFieldStart("args");
            for (ArgRule a : r.args()) {
                g.writeStartObject();
                g.writeNumberField("index", a.index());
                g.writeFieldName("value");
                g.writeNumber(new BigInteger(Long.toUnsignedString(a.value())));
                if (a.valueTwo() != 0 || a.op() == Op.MASKED_EQ) {
                    g.writeFieldName("valueTwo");
                    g.writeNumber(new BigInteger(Long.toUnsignedString(a.valueTwo())));
                }
                g.writeStringField("op", a.op().scmpName());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (r.comment() != null) g.writeStringField("comment", r.comment());
        writeCondition(g, "includes", r.includes());
        writeCondition(g, "excludes", r.excludes());
        g.writeEndObject();
    }

    private static void writeCondition(JsonGenerator g, String field, Condition c) throws IOException {
        if (c.isEmpty()) return;
        g.writeObjectFieldStart(field);
        if (!c.caps().isEmpty()) {
            g.writeArrayFieldStart("caps");
            for (String s : c.caps()) g.writeString(s);
            g.writeEndArray();
        }
        if (!c.arches().isEmpty()) {
            g.writeArrayFieldStart("arches");
            for (String s : c.arches()) g.writeString(s);
            g.writeEndArray();
        }
        if (c.minKernel() != null) g.writeStringField("minKernel", c.minKernel());
        g.writeEndObject();
    }

    static String toJsonString(SeccompProfile profile) {
        return new String(write(profile), StandardCharsets.UTF_8);
    }
}
