package dev.bulwark.scan.os.rpm;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** Hostile headers: any bytes either parse or are refused with IllegalArgumentException; reads stay in bounds. */
class RpmHeaderProperties {
    private static final List<byte[]> REAL = RpmFixtures.blobs();

    /** Parses and reads everything Bulwark reads; only a refusal is allowed to escape. */
    private static void parseAndRead(byte[] blob) {
        try {
            RpmHeader h = RpmHeader.parse(blob);
            RpmPackages.toPackage(h, "/var/lib/rpm/Packages");
            RpmPackages.files(h);
            h.int32s(RpmHeader.DIRINDEXES);
            h.int32(RpmHeader.EPOCH);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        } catch (RuntimeException e) {
            fail("header parser crashed: " + e, e);
        }
    }

    @Property(tries = 2000)
    void arbitraryBytes(@ForAll byte[] blob) {
        parseAndRead(blob);
    }

    @Provide
    Arbitrary<byte[]> damagedRealHeaders() {
        Arbitrary<Integer> which = Arbitraries.integers().between(0, REAL.size() - 1);
        return which.flatMap(i -> {
            byte[] real = REAL.get(i);
            return Arbitraries.integers().between(0, real.length - 1).list().ofMinSize(1).ofMaxSize(8)
                    .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                        byte[] b = real.clone();
                        for (int k = 0; k < positions.size(); k++) b[positions.get(k)] = values.get(k);
                        return b;
                    }));
        });
    }

    @Property(tries = 2000)
    void realHeadersWithBytesChanged(@ForAll("damagedRealHeaders") byte[] blob) {
        parseAndRead(blob);
    }

    @Property(tries = 300)
    void realHeadersCut(@ForAll @IntRange(min = 0, max = 100_000) int length) {
        for (byte[] real : REAL) parseAndRead(Arrays.copyOf(real, Math.min(length, real.length)));
    }

    /** One NAME entry of the given type, offset and count over an 8-byte store "abc\0def\0". */
    private static byte[] oneEntry(int type, int offset, int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + 16 + 8);
        b.putInt(1).putInt(8);
        b.putInt(RpmHeader.NAME).putInt(type).putInt(offset).putInt(count);
        b.put("abc\0def\0".getBytes());
        return b.array();
    }

    @Property(tries = 500)
    void offsetsOutsideTheStoreAreRefused(@ForAll @IntRange(min = Integer.MIN_VALUE, max = Integer.MAX_VALUE) int offset) {
        if (offset >= 0 && offset < 8) return;
        assertThatThrownBy(() -> RpmHeader.parse(oneEntry(RpmHeader.STRING, offset, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 1000");
        assertThatThrownBy(() -> RpmHeader.parse(oneEntry(RpmHeader.INT32, offset, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void countsRunningPastTheStoreAreRefused(@ForAll @IntRange(min = 0, max = 7) int offset,
                                             @ForAll @IntRange(min = 3, max = Integer.MAX_VALUE) int count) {
        // three strings cannot fit after any offset of "abc\0def\0"; nor can 3 or more 4-byte numbers
        assertThatThrownBy(() -> RpmHeader.parse(oneEntry(RpmHeader.STRING_ARRAY, offset, count))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RpmHeader.parse(oneEntry(RpmHeader.INT32, offset - offset % 4, count))).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void hugeDeclaredSizesAreRefusedBeforeAllocating(@ForAll int il, @ForAll int dl) {
        ByteBuffer b = ByteBuffer.allocate(64).putInt(il).putInt(dl);
        parseAndRead(b.array());
        if (il > 3 || dl > 40) assertThatThrownBy(() -> RpmHeader.parse(b.array())).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 50)
    void wellFormedEntriesRead(@ForAll @IntRange(min = 0, max = 4) int offset) {
        RpmHeader h = RpmHeader.parse(oneEntry(RpmHeader.STRING_ARRAY, offset, 1));
        assertThat(h.string(RpmHeader.NAME)).isEqualTo("abc\0def".substring(offset, offset < 4 ? 3 : 7));
        assertThatThrownBy(() -> RpmHeader.parse(oneEntry(RpmHeader.INT32, 2, 1))).hasMessageContaining("misaligned");
        assertThatThrownBy(() -> RpmHeader.parse(oneEntry(42, 0, 1))).hasMessageContaining("unknown type 42");
    }
}
