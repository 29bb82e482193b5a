package dev.bulwark.trust;

import dev.bulwark.model.BulwarkException;

/**
 * Anything that stops a pin, a signature or a verification: bad keys, bad input files, registries or trust servers
 * that answer wrongly, and every refusal of a signature or of trust data. A refusal is never a pass.
 */
public class TrustException extends BulwarkException {
    public TrustException(String where, String message) {
        super(where, message, null);
    }

    public TrustException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
