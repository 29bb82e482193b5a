package dev.bulwark.vulndb.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bulwark.model.Advisory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Advisories as stored documents: Jackson Smile (binary JSON) of the model record. The document is the whole
 * advisory so that the matcher needs one read per advisory and the schema needs no change when the model grows a
 * field; unknown fields written by a newer Bulwark are ignored on read.
 */
final class AdvisoryCodec {
    private static final ObjectMapper SMILE = SmileMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AdvisoryCodec() {
    }

    static byte[] encode(Advisory a) {
        try {
            return SMILE.writeValueAsBytes(a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Advisory decode(byte[] doc) throws IOException {
        return SMILE.readValue(doc, Advisory.class);
    }
}
