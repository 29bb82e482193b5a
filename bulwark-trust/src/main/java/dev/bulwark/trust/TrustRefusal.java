package dev.bulwark.trust;

/**
 * Trust data that was read and found wanting (bad signature, expired, rolled back, altered): a verdict about the
 * image, unlike a server that could not be asked, which is an error.
 */
public final class TrustRefusal extends TrustException {
    public TrustRefusal(String where, String message) {
        super(where, message);
    }
}
