package dev.bulwark.harden.imagetest;

import dev.bulwark.harden.HardenException;

/** A spec file that cannot be used: where is "FILE:LINE" (or the file alone when no line applies). */
public final class SpecException extends HardenException {
    public SpecException(String where, String message) {
        super(where, message);
    }

    static SpecException at(String file, int line, String message) {
        return new SpecException(line > 0 ? file + ":" + line : file, message);
    }
}
