package dev.bulwark.scan.os.rpm;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.analyzer.TestFiles;
import dev.bulwark.scan.os.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged and hostile Berkeley DB files: the real big-endian fixture (512-byte pages, long overflow chains) with one
 * thing broken at a time, and built files with layouts db_load never writes. Each must end in warnings that say what
 * is wrong, the sound packages still read, and no exception.
 */
class BerkeleyDbTest {
    private static final String PATH = "/var/lib/rpm/Packages";
    private final RpmAnalyzer rpm = new RpmAnalyzer();
    private ByteBuffer db;
    private int pageSize;

    /** An off-page value: the hash page and item offset of its reference, and its chain. */
    private record Chain(int page, int item, List<Integer> pages) {
    }

    @BeforeEach
    void load() {
        db = ByteBuffer.wrap(Fixtures.bytes("rpm/Packages-be512")).order(ByteOrder.BIG_ENDIAN);
        pageSize = db.getInt(20);
        assertThat(pageSize).isEqualTo(512);
    }

    private int at(int page) {
        return page * pageSize;
    }

    /** Every off-page value of the fixture, longest chain first. */
    private List<Chain> chains() {
        List<Chain> out = new ArrayList<>();
        int pages = db.capacity() / pageSize;
        for (int pg = 1; pg < pages; pg++) {
            if (db.get(at(pg) + 25) != BerkeleyDb.P_HASH) continue;
            int entries = Short.toUnsignedInt(db.getShort(at(pg) + 20));
            for (int i = 1; i < entries; i += 2) {
                int item = at(pg) + Short.toUnsignedInt(db.getShort(at(pg) + 26 + 2 * i));
                if (db.get(item) != BerkeleyDb.H_OFFPAGE) continue;
                List<Integer> chain = new ArrayList<>();
                for (int next = db.getInt(item + 4); next != 0; next = db.getInt(at(next) + 16)) chain.add(next);
                out.add(new Chain(pg, item, chain));
            }
        }
        out.sort((a, b) -> b.pages.size() - a.pages.size());
        return out;
    }

    private FileResult analyze(Consumer<ByteBuffer> damage) throws Exception {
        damage.accept(db);
        return rpm.analyze(TestFiles.of(PATH, db.array(), 0644));
    }

    private static List<String> names(FileResult r) {
        return r.packages().stream().map(Package::name).sorted().toList();
    }

    @Test
    void theFixtureHasLongChains() {
        List<Chain> chains = chains();
        assertThat(chains).hasSize(6); // five packages and gpg-pubkey
        assertThat(chains.get(0).pages).hasSizeGreaterThan(40);
    }

    @Test
    void overflowLoop() throws Exception {
        Chain longest = chains().get(0);
        FileResult r = analyze(b -> b.putInt(at(longest.pages.get(5)) + 16, longest.pages.get(1)));
        assertThat(r.warnings()).singleElement().asString().startsWith(PATH + ": ").contains("loops back to page " + longest.pages.get(1));
        assertThat(names(r)).containsExactly("bulwark-alpha", "bulwark-beta", "bulwark-beta-libs", "bulwark-empty");
    }

    @Test
    void selfLoop() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.putInt(at(c.pages.get(0)) + 16, c.pages.get(0)));
        assertThat(r.warnings()).singleElement().asString().contains("loops back");
    }

    @Test
    void chainPastTheEnd() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.putInt(at(c.pages.get(0)) + 16, 0x7fffffff));
        assertThat(r.warnings()).singleElement().asString().contains("past the last page");
        assertThat(r.packages()).hasSize(4);
    }

    @Test
    void chainThroughAPageOfAnotherType() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.put(at(c.pages.get(3)) + 25, (byte) 0));
        assertThat(r.warnings()).singleElement().asString().contains("of type 0");
    }

    @Test
    void chainEndingEarly() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.putInt(at(c.pages.get(2)) + 16, 0));
        assertThat(r.warnings()).singleElement().asString().contains("overflow chain ends after");
    }

    @Test
    void overflowPageClaimingMoreThanItHolds() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.putShort(at(c.pages.get(0)) + 22, (short) 0xffff));
        assertThat(r.warnings()).singleElement().asString().contains("claims 65535 bytes");
    }

    @Test
    void hugeDeclaredValue() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.putInt(c.item + 8, 0x7fffffff));
        assertThat(r.warnings()).singleElement().asString().contains("2147483647 bytes, over the");
    }

    @Test
    void shortDeclaredValueCutsTheHeader() throws Exception {
        Chain c = chains().get(0);
        FileResult r = analyze(b -> b.putInt(c.item + 8, 100));
        assertThat(r.warnings()).singleElement().asString().contains("skipped");
        assertThat(r.packages()).hasSize(4);
    }

    @Test
    void hugePageCountInTheMetadata() throws Exception {
        FileResult r = analyze(b -> b.putInt(32, 0x7ffffff0));
        assertThat(r.warnings()).singleElement().asString().contains("declares pages up to");
        assertThat(r.packages()).hasSize(5);
    }

    @Test
    void oddItemCountAndItemsOutsideThePage() throws Exception {
        Chain c = chains().get(0);
        FileResult odd = analyze(b -> b.putShort(at(c.page) + 20, (short) 3));
        assertThat(odd.warnings()).anySatisfy(w -> assertThat(w).contains("cannot be key/value pairs"));
        load();
        FileResult outside = analyze(b -> b.putShort(at(c.page) + 26, (short) 600));
        assertThat(outside.warnings()).anySatisfy(w -> assertThat(w).contains("offsets outside"));
    }

    @Test
    void truncatedFile() throws Exception {
        byte[] half = Arrays.copyOf(db.array(), db.capacity() / 2);
        FileResult r = rpm.analyze(TestFiles.of(PATH, half, 0644));
        assertThat(r.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w).startsWith(PATH + ": "));
        assertThat(r.warnings().get(0)).contains("truncated");
    }

    @Test
    void badMetadata() throws Exception {
        assertThat(analyze(b -> b.putInt(20, 1000)).warnings()).singleElement().asString().contains("page size 1000");
        load();
        assertThat(analyze(b -> b.put(24, (byte) 1)).warnings()).singleElement().asString().contains("encrypted");
        load();
        assertThat(analyze(b -> b.put(25, (byte) 9)).warnings()).singleElement().asString().contains("not a hash metadata page");
    }

    @Test
    void valuesStoredInPlace() throws Exception {
        List<byte[]> blobs = RpmFixtures.blobs();
        byte[] alpha = blobs.stream().filter(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("bulwark-alpha")).findFirst().orElseThrow();
        byte[] empty = blobs.stream().filter(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("bulwark-empty")).findFirst().orElseThrow();
        byte[] file = new BdbBuilder(8192).hashPage(List.of(
                BdbBuilder.key(0), BdbBuilder.inPlace(new byte[]{2, 0, 0, 0}), // rpm's instance counter: not a package
                BdbBuilder.key(1), BdbBuilder.inPlace(alpha),
                BdbBuilder.key(2), BdbBuilder.inPlace(empty))).build();
        FileResult r = rpm.analyze(TestFiles.of(PATH, file, 0644));
        assertThat(r.warnings()).isEmpty();
        assertThat(names(r)).containsExactly("bulwark-alpha", "bulwark-empty");
    }

    @Test
    void manyItemsSharingOneChainAreBounded() throws Exception {
        BdbBuilder b = new BdbBuilder(512);
        int chain = b.overflow(new byte[200 * (512 - 26)]);
        List<byte[]> items = new ArrayList<>();
        for (int i = 1; i <= 10; i++) { // ten references fit on one 512-byte page
            items.add(BdbBuilder.key(i));
            items.add(BdbBuilder.offPage(chain, 200 * (512 - 26)));
        }
        byte[] file = b.hashPage(items).build();
        FileResult r = rpm.analyze(TestFiles.of(PATH, file, 0644));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("revisit the same pages"));
        assertThat(r.warnings().size()).isLessThanOrEqualTo(4); // two header failures, then the budget runs out
    }

    @Test
    void btreeIsNotAHash() throws Exception {
        byte[] file = new BdbBuilder(512).build();
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(12, BerkeleyDb.BTREE_MAGIC);
        assertThat(BerkeleyDb.isHash(ByteBuffer.wrap(file))).isFalse();
        List<String> warnings = new ArrayList<>();
        BerkeleyDb.read(new org.apache.commons.compress.utils.SeekableInMemoryByteChannel(file), 1 << 20, (k, v) -> { }, warnings::add);
        assertThat(warnings).singleElement().asString().contains("btree");
    }
}
