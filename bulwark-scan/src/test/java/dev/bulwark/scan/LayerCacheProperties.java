package dev.bulwark.scan;

import dev.bulwark.image.EntryType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's compact entry form gives back exactly what went in, whatever bytes the names hold. */
class LayerCacheProperties {
    @Property(tries = 300)
    void entriesRoundTrip(@ForAll List<String> names, @ForAll List<String> links) {
        List<LayerRecord.Entry> entries = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String link = i < links.size() ? links.get(i) : null;
            entries.add(new LayerRecord.Entry("/" + names.get(i), link == null ? EntryType.FILE : EntryType.SYMLINK, link));
        }
        LayerRecord r = new LayerRecord(entries, List.of(), List.of(), List.of(), List.of());
        assertThat(LayerCache.Stored.of(r).toRecord().entries()).isEqualTo(entries);
    }
}
