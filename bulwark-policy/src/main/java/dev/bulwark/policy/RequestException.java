package dev.bulwark.policy;

/**
 * A request that cannot be decoded into a {@link PolicyRequest}: no body where the endpoint needs one, a body
 * that is not JSON or too large, an image reference that does not parse. The caller must deny it (fail closed):
 * a request the engine cannot read is a request it cannot vouch for (CVE-2024-41110 was a plugin allowing a
 * container create whose body it never saw).
 */
public final class RequestException extends PolicyException {
    public RequestException(String where, String message) {
        super(where, message, null);
    }

    public RequestException(String where, String message, Throwable cause) {
        super(where, message, cause);
    }
}
