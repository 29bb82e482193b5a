package dev.bulwark.scan;

import dev.bulwark.image.ImageException;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.LayerHandler;
import dev.bulwark.image.LayerVisitor;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds what is inside an image: reads each layer not already in the cache once (in parallel), offers its files to
 * the analysers, and squashes the layers' findings into an {@link Inventory}. The module's facade.
 *
 * <p>With a cache directory, an image whose every layer has a diffID is looked up first in the inventory index
 * ({@link InventoryIndex}): a re-scan of the same layers with the same analysers and code reads one small file and
 * neither reads nor merges layer records. Otherwise each layer's record comes from the layer cache or is made by
 * reading the layer, and the assembled inventory is then indexed.
 */
public final class Scanner {
    public static final String TOOL = "bulwark";
    private final ScanOptions options;

    public Scanner(ScanOptions options) {
        this.options = options;
    }

    public Inventory scan(ImageSource source, ScanListener listener) throws ImageException, ScanException, InterruptedException {
        ImageInfo info = source.info();
        List<LayerInfo> layers = info.layers();
        boolean caching = options.cacheDir() != null && source.cacheable();
        // The cache bound is shared: a sixteenth for assembled inventories (small), the rest for layer records.
        long indexBytes = options.cacheMaxBytes() / 16;
        LayerCache cache = caching ? new LayerCache(options.cacheDir(), options.cacheMaxBytes() - indexBytes, options.analyzers()) : null;
        // An image seen before (same layers, same analysers, same code): its assembled inventory, without reading
        // or merging any layer record.
        InventoryIndex index = caching ? new InventoryIndex(options.cacheDir(), indexBytes,
                cache.fingerprint() + "\nhygiene=" + options.hygiene()) : null;
        String indexKey = index == null ? null : index.keyMaterial(info);
        if (indexKey != null) {
            Inventory known = index.get(indexKey, info, Instant.now(), TOOL);
            if (known != null) {
                for (LayerInfo l : layers) cache.touch(cache.key(l.diffId()));
                listener.started(layers.size(), layers.size());
                for (LayerInfo l : layers) listener.layerDone(l, true);
                return known;
            }
        }
        Map<String, LayerRecord> byKey = new ConcurrentHashMap<>();
        List<Integer> toRead = new ArrayList<>();
        for (LayerInfo l : layers) {
            String k = key(l);
            if (byKey.containsKey(k) || toRead.stream().anyMatch(i -> key(layers.get(i)).equals(k))) continue;
            LayerRecord cached = cache == null || l.diffId() == null ? null : cache.get(cache.key(l.diffId()));
            if (cached != null) byKey.put(k, cached);
            else toRead.add(l.index());
        }
        listener.started(layers.size(), layers.size() - toRead.size());
        for (LayerInfo l : layers) if (byKey.containsKey(key(l))) listener.layerDone(l, true);

        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "bulwark-layer-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Files of an unpacked root filesystem are analysed beside the (single-threaded) directory walk.
        ExecutorService hostFiles = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "bulwark-file-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<String> cacheProblems = new ArrayList<>();
        try {
            source.walkLayers(toRead, new LayerHandler() {
                @Override
                public LayerVisitor start(LayerInfo layer) {
                    return new LayerAnalysis(options.analyzers(), options.memoryFileLimit(), hostFiles);
                }

                @Override
                public void finished(LayerVisitor visitor, LayerInfo layer) {
                    LayerRecord record = ((LayerAnalysis) visitor).record();
                    byKey.put(key(layer), record);
                    if (cache != null && layer.diffId() != null) {
                        try {
                            cache.put(cache.key(layer.diffId()), record);
                        } catch (IOException e) {
                            synchronized (cacheProblems) {
                                cacheProblems.add("layer cache: cannot write " + layer.diffId() + ": " + e.getMessage());
                            }
                        }
                    }
                    listener.layerDone(layer, false);
                }
            }, pool);
        } finally {
            pool.shutdownNow();
            hostFiles.shutdownNow();
        }
        List<LayerRecord> records = new ArrayList<>();
        for (LayerInfo l : layers) {
            LayerRecord r = byKey.get(key(l));
            if (r == null) throw new ScanException(info.target(), "layer " + l.diffId() + " was not read", null);
            records.add(r);
        }
        // ENV and LABEL values are not in ImageInfo (names only, by design); the secret check of the config reads them here
        dev.bulwark.image.ImageRunConfig config = options.analyzers().stream().anyMatch(a -> a instanceof dev.bulwark.scan.secret.SecretAnalyzer)
                ? runConfig(source, cacheProblems) : null;
        // the source may know more after the walk (a Docker export carries the exact config and its history)
        info = source.info();
        Inventory inv = InventoryAssembler.assemble(info, records, options.analyzers(), options.hygiene(), config, Instant.now(), TOOL);
        if (indexKey != null) {
            try {
                index.put(indexKey, inv);
            } catch (IOException e) {
                cacheProblems.add("layer cache: cannot write the inventory index: " + e.getMessage());
            }
        }
        if (cacheProblems.isEmpty()) return inv;
        List<String> w = new ArrayList<>(inv.warnings());
        w.addAll(cacheProblems);
        return inv.withWarnings(w);
    }

    /**
     * The config's ENV, LABEL values and the history of steps without a layer, from the config document the source
     * read; null for a source without one (a root filesystem). A config that cannot be read is a warning.
     */
    private static dev.bulwark.image.ImageRunConfig runConfig(ImageSource source, List<String> problems) {
        try {
            dev.bulwark.image.ImageRunConfig rc = dev.bulwark.image.ImageRunConfig.of(source);
            return rc.complete() ? rc : null;
        } catch (ImageException | RuntimeException e) {
            problems.add("secrets: ENV and LABEL values not checked: " + (e instanceof ImageException ie ? ie.oneLine() : e.getMessage()));
            return null;
        }
    }

    private static String key(LayerInfo l) {
        Digest d = l.diffId();
        return d == null ? "index:" + l.index() : d.toString();
    }
}
