package dev.bulwark.report.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The one Jackson configuration every JSON report shares. Internal to bulwark-report: public only because the
 * writers live in the parent package.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET) // the caller owns the stream (stdout, a temp file)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS) // maps come from Map.copyOf: no stable order
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // additive fields do not bump the schema
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule("bulwark-strings")
                    .addSerializer(String.class, new WellFormedStrings())
                    .addKeySerializer(String.class, new WellFormedKeys()))
            .build();

    private Json() {
    }

    /** Writes {@code document} pretty-printed (two-space indent, one array element a line) and a final newline. */
    public static void write(Object document, OutputStream out) throws IOException {
        MAPPER.writer(prettyPrinter()).writeValue(out, document);
        out.write('\n');
        out.flush();
    }

    /** A reader for {@code type} with the shared configuration. */
    public static ObjectReader reader(Class<?> type) {
        return MAPPER.readerFor(type);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter lf = new DefaultIndenter("  ", "\n"); // "\n" everywhere: output must not vary by OS
        DefaultPrettyPrinter p = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        p.indentObjectsWith(lf);
        p.indentArraysWith(lf);
        return p;
    }

    /**
     * Replaces unpaired UTF-16 surrogates by U+FFFD. Jackson refuses to encode them, and they can reach us from an
     * inventory JSON that escaped one ("\ud800"): a hostile image must not be able to stop its SBOM being written.
     */
    public static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) return repair(s);
        }
        return s;
    }

    private static String repair(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    private static final class WellFormedStrings extends JsonSerializer<String> {
        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(wellFormed(value));
        }
    }

    private static final class WellFormedKeys extends JsonSerializer<String> {
        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeFieldName(wellFormed(value));
        }
    }
}
