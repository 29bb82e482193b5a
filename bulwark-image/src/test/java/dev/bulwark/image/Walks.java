package dev.bulwark.image;

import dev.bulwark.model.LayerInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/** Walks every layer of a source and records what the visitor saw, per layer index, as readable lines. */
final class Walks {
    private Walks() {
    }

    static Map<Integer, List<String>> all(ImageSource src) throws Exception {
        return all(src, Recorder::new);
    }

    /** Walks every layer with a fresh recorder each; returns each layer's lines by index. */
    static Map<Integer, List<String>> all(ImageSource src, java.util.function.Supplier<? extends Recorder> recorders) throws Exception {
        Map<Integer, List<String>> seen = Collections.synchronizedMap(new TreeMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            src.walkLayers(IntStream.range(0, src.info().layers().size()).boxed().toList(), new LayerHandler() {
                @Override
                public LayerVisitor start(LayerInfo layer) {
                    return recorders.get();
                }

                @Override
                public void finished(LayerVisitor visitor, LayerInfo layer) {
                    seen.put(layer.index(), ((Recorder) visitor).lines);
                }
            }, pool);
        } finally {
            pool.shutdownNow();
        }
        return seen;
    }

    static class Recorder implements LayerVisitor {
        final List<String> lines = new ArrayList<>();

        @Override
        public void entry(LayerEntry e, InputStream content) throws IOException {
            String s = e.type() + " " + e.path();
            if (e.linkTarget() != null) s += " -> " + e.linkTarget();
            if (content != null) s += " = " + new String(content.readAllBytes(), StandardCharsets.UTF_8);
            lines.add(s);
        }

        @Override
        public void whiteout(String path) {
            lines.add("WHITEOUT " + path);
        }

        @Override
        public void opaque(String dir) {
            lines.add("OPAQUE " + dir);
        }
    }
}
