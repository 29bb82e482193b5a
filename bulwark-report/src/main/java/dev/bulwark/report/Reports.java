package dev.bulwark.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bulwark.model.Inventory;
import dev.bulwark.report.json.InventoryJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** The report facade: an inventory out in any {@link ReportFormat}, and Bulwark JSON back in. */
public final class Reports {
    private Reports() {
    }

    /**
     * Writes {@code inv} to {@code out} in format {@code f}. The stream is flushed, not closed: it may be stdout.
     * The output depends only on the inventory and the options (the clock included), so it is reproducible.
     */
    public static void write(Inventory inv, ReportFormat f, OutputStream out, ReportOptions opts) throws IOException {
        Objects.requireNonNull(inv, "inventory");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(opts, "options");
        switch (Objects.requireNonNull(f, "format")) {
            case TABLE -> new TableWriter(opts).write(inv, out);
            case JSON -> InventoryJson.write(inv, out);
            case CYCLONEDX -> CycloneDxWriter.write(inv, opts, out);
            case SPDX -> SpdxWriter.write(inv, opts, out);
        }
        out.flush();
    }

    /**
     * Reads an inventory written in {@link ReportFormat#JSON}, so that it can be matched again without the image.
     * Fields added by later versions of the same schema version are ignored.
     *
     * @throws ReportException when the input is not a Bulwark inventory Bulwark can read (says where and why)
     * @throws IOException     when reading the stream fails
     */
    public static Inventory readInventoryJson(InputStream in) throws IOException, ReportException {
        Objects.requireNonNull(in, "in");
        try {
            return InventoryJson.read(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "inventory JSON" : "inventory JSON line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ReportException(where, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ReportException("inventory JSON", e.getMessage(), e);
        }
    }
}
