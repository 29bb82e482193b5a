package dev.bulwark.audit.file;

import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Test fixtures under src/test/resources/file and helpers to pick results out of reports. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/file/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/file/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static AuditReport audit(String name) throws AuditException {
        return FileAuditor.audit(name, text(name));
    }

    /** Results of a check. */
    static List<AuditResult> of(AuditReport r, String id) {
        return r.results().stream().filter(x -> x.checkId().equals(id)).toList();
    }

    /** Results of a check with a status. */
    static List<AuditResult> of(AuditReport r, String id, AuditStatus status) {
        return r.results().stream().filter(x -> x.checkId().equals(id) && x.status() == status).toList();
    }

    /** The one result of a check at a line ("file:line" or "file:line:col"). */
    static AuditResult at(AuditReport r, String id, int line) {
        List<AuditResult> hits = r.results().stream().filter(x -> x.checkId().equals(id)
                && (x.location().equals(x.subject() + ":" + line) || x.location().startsWith(x.subject() + ":" + line + ":"))).toList();
        assertThat(hits).as("results of %s at line %d in %s", id, line, r.results()).hasSize(1);
        return hits.get(0);
    }

    /** The results that are not PASS. */
    static List<AuditResult> problems(AuditReport r) {
        return r.results().stream().filter(x -> x.status() != AuditStatus.PASS).toList();
    }
}
