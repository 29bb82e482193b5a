package dev.bulwark.cli;

import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.scan.Analyzers;
import dev.bulwark.scan.ScanListener;
import dev.bulwark.scan.ScanOptions;
import dev.bulwark.scan.Scanner;
import dev.bulwark.scan.secret.SecretConfig;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;

/** Opens a target and scans it, with a progress bar on stderr when a terminal is attached. */
final class InventoryRunner {
    private InventoryRunner() {
    }

    static Inventory inventory(ImageOptions image, boolean quiet, PrintWriter err) throws BulwarkException, InterruptedException, java.io.IOException {
        return inventory(image, quiet, err, null, false);
    }

    /**
     * @param secrets the secret scanner's settings, or null for no secret scanning
     * @param hygiene whether to run the image-hygiene checks
     */
    static Inventory inventory(ImageOptions image, boolean quiet, PrintWriter err, SecretConfig secrets, boolean hygiene)
            throws BulwarkException, InterruptedException, java.io.IOException {
        if (image.target == null || image.target.isBlank()) throw new IllegalArgumentException("missing TARGET (an image, archive or directory)");
        ScanOptions so = ScanOptions.defaults(image.effectiveCacheDir());
        if (image.parallel != null) so = so.withParallelism(image.parallel);
        if (image.pkgTypes != null) so = so.withAnalyzers(Analyzers.select(image.pkgTypes));
        // secrets and hygiene ride on the same single pass over the layers as the package analysers
        so = so.withSecrets(secrets).withHygiene(hygiene);
        try (ImageSource source = ImageSources.open(image.target, image.sourceOptions(System.in))) {
            boolean bar = !quiet && System.console() != null && System.getenv("CI") == null;
            if (!bar) return new Scanner(so).scan(source, ScanListener.NONE);
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("Layers").setInitialMax(source.info().layers().size())
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).hideEta().build()) {
                return new Scanner(so).scan(source, new ScanListener() {
                    @Override
                    public void layerDone(LayerInfo layer, boolean fromCache) {
                        pb.step();
                    }
                });
            }
        }
    }

    static void printWarnings(Inventory inv, boolean quiet, PrintWriter err) {
        if (quiet || inv.warnings().isEmpty()) return;
        int shown = Math.min(10, inv.warnings().size());
        for (int i = 0; i < shown; i++) err.println("bulwark: warning: " + inv.warnings().get(i));
        if (inv.warnings().size() > shown)
            err.println("bulwark: warning: ... and " + (inv.warnings().size() - shown) + " more (all are in --format json)");
        err.flush();
    }
}
