package dev.bulwark.scan.os.rpm;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Hostile headers: any bytes either parse or are refused with IllegalArgumentException; reads stay in bounds. */
class RpmHeaderProperties {
    @Property(tries = 1000)
    void arbitraryBlobsAreRefusedOrReadSafely(@ForAll byte[] blob) {
        try {
            RpmHeader h = RpmHeader.parse(blob);
            h.string(RpmHeader.NAME);
            h.strings(RpmHeader.BASENAMES);
            h.int32s(RpmHeader.DIRINDEXES);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            fail("header parser crashed: " + e, e);
        }
    }

    @Property(tries = 300)
    void entriesPointingOutsideTheStoreAreIgnored(@ForAll @IntRange(min = -5, max = 100_000) int offset,
                                                  @ForAll @IntRange(min = -5, max = 100_000) int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + 16 + 8);
        b.putInt(1).putInt(8);
        b.putInt(RpmHeader.NAME).putInt(8).putInt(offset).putInt(count);
        b.put("abc\0def\0".getBytes());
        RpmHeader h = RpmHeader.parse(b.array());
        assertThat(h.strings(RpmHeader.NAME).size()).isLessThanOrEqualTo(2);
    }
}
