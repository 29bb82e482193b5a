package dev.bulwark.harden.apparmor;

import dev.bulwark.harden.HardenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** AppArmor profiles from bane's TOML. */
public final class AppArmor {
    private AppArmor() {}

    public static BaneConfig read(Path toml) throws HardenException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(toml)) {
            bytes = in.readNBytes(BaneToml.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new HardenException(toml.toString(), "no such file");
        } catch (IOException e) {
            throw new HardenException(toml.toString(), "cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, toml.toString());
    }

    public static BaneConfig parse(byte[] toml, String source) throws HardenException {
        return BaneToml.parse(toml, source);
    }

    /**
     * The profile text. {@code name} overrides the file's Name; with neither the profile cannot be written.
     */
    public static String profile(BaneConfig config, String name, String source) throws HardenException {
        String n = name != null && !name.isEmpty() ? name : config.name();
        if (n.isEmpty()) throw new HardenException(source, "no Name in the file and no --name");
        if (!BaneToml.NAME.matcher(n).matches()) throw new HardenException("--name", "'" + n + "' is not a profile name (letters, digits, _ . -)");
        return AppArmorWriter.write(config.withName(n), source);
    }
}
