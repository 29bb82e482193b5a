package dev.bulwark.vulndb;

import dev.bulwark.model.BulwarkException;

/** Root of bulwark-vulndb's checked exceptions: a feed, file or store that cannot be used at all. */
public class VulnDbException extends BulwarkException {
    public VulnDbException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
