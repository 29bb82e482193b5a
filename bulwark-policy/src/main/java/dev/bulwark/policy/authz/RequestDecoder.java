package dev.bulwark.policy.authz;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.policy.docker.DockerApiRequest;

/**
 * Turns a Docker API call into what the policy engine reads. A separate seam (not a call into the decoder's class)
 * so the plugin server's fail-closed paths can be tested with decoders that fail on purpose.
 */
@FunctionalInterface
public interface RequestDecoder {
    /**
     * @throws BulwarkException when the call cannot be understood; the plugin then denies it with this message
     */
    PolicyRequest decode(DockerApiRequest request) throws BulwarkException;
}
