package dev.bulwark.scan.os.rpm;

import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Damaged ndb databases: one slot or blob broken at a time; the others still read, with a warning for the broken one. */
class NdbTest {
    private static final String PATH = "/usr/lib/sysimage/rpm/Packages.db";
    private final RpmAnalyzer rpm = new RpmAnalyzer();
    private List<byte[]> blobs;
    private ByteBuffer db;

    @BeforeEach
    void build() {
        blobs = RpmFixtures.blobs();
        db = ByteBuffer.wrap(NdbWriter.write(blobs)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Slot of package index i (from 1): the header takes slots 0 and 1. */
    private static int slot(int pkgidx) {
        return (1 + pkgidx) * Ndb.SLOT;
    }

    private int blob(int pkgidx) {
        return db.getInt(slot(pkgidx) + 8) * Ndb.BLOCK;
    }

    private FileResult analyze(Consumer<ByteBuffer> damage) throws Exception {
        damage.accept(db);
        return rpm.analyze(TestFiles.of(PATH, db.array(), 0644));
    }

    @Test
    void soundDatabase() throws Exception {
        FileResult r = analyze(b -> { });
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).hasSize(blobs.size() - 1); // gpg-pubkey is no package
    }

    @Test
    void slotPointingPastTheFile() throws Exception {
        FileResult r = analyze(b -> b.putInt(slot(2) + 8, 0x7ffffff0));
        assertThat(r.warnings()).singleElement().asString().startsWith(PATH + ": package 2: slot").contains("outside the data area");
        assertThat(r.packages()).hasSize(blobs.size() - 2);
    }

    @Test
    void slotPointingIntoTheSlotPages() throws Exception {
        FileResult r = analyze(b -> b.putInt(slot(1) + 8, 3));
        assertThat(r.warnings()).singleElement().asString().contains("outside the data area");
    }

    @Test
    void hugeBlockCount() throws Exception {
        FileResult r = analyze(b -> b.putInt(slot(1) + 12, 0x7fffffff));
        assertThat(r.warnings()).singleElement().asString().contains("outside the data area");
    }

    @Test
    void checksumMismatch() throws Exception {
        FileResult r = analyze(b -> b.put(blob(3) + Ndb.HEAD + 100, (byte) (b.get(blob(3) + Ndb.HEAD + 100) ^ 0x55)));
        assertThat(r.warnings()).singleElement().asString().contains("package 3: blob tail or checksum does not match");
    }

    @Test
    void blobOfAnotherPackage() throws Exception {
        FileResult r = analyze(b -> b.putInt(blob(1) + 4, 99));
        assertThat(r.warnings()).singleElement().asString().contains("do not start with this package's blob head");
    }

    @Test
    void blobLengthNotFittingItsSlot() throws Exception {
        FileResult r = analyze(b -> b.putInt(blob(1) + 12, 0x7fffffff));
        assertThat(r.warnings()).singleElement().asString().contains("does not fit");
    }

    @Test
    void damagedSlotTableStopsTheSlotScan() throws Exception {
        FileResult r = analyze(b -> b.putInt(slot(3), 0));
        assertThat(r.warnings()).singleElement().asString().contains("slot table is damaged");
        assertThat(r.packages()).hasSize(2);
    }

    @Test
    void hugeSlotPageCount() throws Exception {
        FileResult r = analyze(b -> b.putInt(12, 0x7fffffff));
        assertThat(r.warnings()).isNotEmpty().first().asString().contains("declares 2147483647 slot pages");
    }

    @Test
    void wrongVersionAndTruncation() throws Exception {
        assertThat(analyze(b -> b.putInt(4, 7)).warnings()).singleElement().asString().contains("version 7");
        build();
        byte[] cut = Arrays.copyOf(db.array(), db.capacity() - 100);
        FileResult r = rpm.analyze(TestFiles.of(PATH, cut, 0644));
        assertThat(r.warnings()).singleElement().asString().contains("outside the data area");
        assertThat(rpm.analyze(TestFiles.of(PATH, Arrays.copyOf(db.array(), 20), 0644)).warnings()).hasSize(1);
    }
}
