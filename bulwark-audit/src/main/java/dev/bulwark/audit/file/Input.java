package dev.bulwark.audit.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading audited files: bounded, strictly decoded UTF-8, binary refused. */
final class Input {
    /** Larger files are refused: real Dockerfiles, Compose files and manifests are kilobytes. */
    static final long MAX_BYTES = 8L << 20;

    private Input() {
    }

    static String read(Path path) throws AuditException {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw AuditException.at(name, 0, "is a directory, not a file");
            if (Files.isRegularFile(path) && Files.size(path) > MAX_BYTES) throw tooLarge(name, Files.size(path));
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw AuditException.at(name, 0, "no such file");
        } catch (AccessDeniedException e) {
            throw AuditException.at(name, 0, "permission denied");
        } catch (IOException e) {
            throw new AuditException(name, "cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) throw tooLarge(name, -1);
        return decode(name, bytes);
    }

    static String decode(String name, byte[] bytes) throws AuditException {
        for (byte b : bytes) {
            if (b == 0) throw AuditException.at(name, 0, "is a binary file, not text");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s;
        } catch (CharacterCodingException e) {
            throw AuditException.at(name, 0, "is not UTF-8 text");
        }
    }

    /** Checks text handed over as a string against the same limits as a file; strips a byte-order mark. */
    static String check(String name, String text) throws AuditException {
        if (text == null) throw AuditException.at(name, 0, "no content");
        if (text.length() > MAX_BYTES || utf8Length(text) > MAX_BYTES) throw tooLarge(name, utf8Length(text));
        if (text.indexOf('\0') >= 0) throw AuditException.at(name, 0, "is a binary file, not text");
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static AuditException tooLarge(String name, long size) {
        return AuditException.at(name, 0, (size >= 0 ? "is " + size + " bytes, " : "is ") + "larger than the "
                + (MAX_BYTES >> 20) + " MiB a Dockerfile, Compose file or manifest may have");
    }
}
