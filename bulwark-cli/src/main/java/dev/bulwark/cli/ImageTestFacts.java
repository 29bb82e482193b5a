package dev.bulwark.cli;

import dev.bulwark.audit.host.HostAuditor;
import dev.bulwark.docker.DockerClient;
import dev.bulwark.docker.DockerException;
import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.imagetest.ImageFacts;
import dev.bulwark.match.Matcher;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.scan.secret.SecretConfig;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What `bulwark test` asks of the modules above bulwark-harden: the inventory `bulwark sbom` makes (secrets in the
 * same pass when a gate wants them), matched as `bulwark scan` matches it, and the image checks of `bulwark audit
 * docker` on the Docker Engine that holds the image. The inventory is made once, on first need.
 */
final class ImageTestFacts implements ImageFacts {
    /** Audit profiles by name: the CIS section 4 checks Bulwark decides on an image. */
    static final Map<String, List<String>> PROFILES = Map.of("cis-image", List.of("4.1", "4.6", "4.7", "4.9", "4.10"));

    private final ImageOptions image;
    private final DbLocation db;
    private final boolean secrets;
    private final PrintWriter err;
    private final Map<String, String> env;
    private Inventory inventory;

    ImageTestFacts(ImageOptions image, DbLocation db, boolean secrets, PrintWriter err, Map<String, String> env) {
        this.image = image;
        this.db = db;
        this.secrets = secrets;
        this.err = err;
        this.env = env;
    }

    private Inventory inventory() throws BulwarkException, InterruptedException {
        if (inventory == null) {
            try {
                inventory = InventoryRunner.inventory(image, true, err, secrets ? SecretConfig.defaults() : null, false);
            } catch (IOException e) {
                throw new HardenException(image.target, "cannot scan: " + e.getMessage(), e);
            }
        }
        return inventory;
    }

    @Override
    public List<Package> packages() throws BulwarkException, InterruptedException {
        return inventory().packages();
    }

    @Override
    public List<Finding> vulnerabilities() throws BulwarkException, InterruptedException {
        Inventory inv = inventory();
        try (VulnDb vdb = VulnDb.openOrInstallBuiltin(db)) {
            return new Matcher(vdb).match(inv).findings();
        }
    }

    @Override
    public List<SecretFinding> secrets() throws BulwarkException, InterruptedException {
        if (!secrets) throw new IllegalStateException("secret scanning was not asked for");
        return inventory().secrets();
    }

    /**
     * The audit of the image by the Docker Engine at DOCKER_HOST (or the local socket), which must hold it: the
     * image checks read its inspect document and history as the engine reports them.
     */
    @Override
    public List<AuditResult> audit(List<String> checks) throws BulwarkException, InterruptedException {
        List<String> ids = checks.size() == 1 && PROFILES.containsKey(checks.get(0)) ? PROFILES.get(checks.get(0)) : checks;
        for (String id : ids) {
            if (!id.matches("\\d+(\\.\\d+)*"))
                throw new HardenException("gates.audit", "unknown audit profile or check '" + id + "' (profiles: " + String.join(", ", PROFILES.keySet())
                        + "; or CIS check ids such as 4.1)");
        }
        Inventory inv = inventory();
        if (inv.image().imageId() == null) throw new HardenException(image.target, "a root filesystem has no image id for the engine to audit");
        String id = inv.image().imageId().toString();
        try (DockerClient docker = DockerClient.fromEnvironment(env)) {
            try {
                docker.getJson("/images/" + id + "/json");
            } catch (DockerException e) {
                throw new HardenException(docker.host(), e.status() == 404
                        ? "the Docker Engine does not hold image " + id + ": the audit gate audits the image in the engine (docker load it first)"
                        : e.oneLine(), e);
            }
            return new HostAuditor(docker).only(ids).audit().results().stream().filter(r -> id.equals(r.location())).toList();
        } catch (DockerException e) {
            throw new HardenException("DOCKER_HOST", e.oneLine(), e);
        }
    }
}
