package dev.bulwark.policy.docker;

import java.util.Map;
import java.util.Objects;

/**
 * A Docker Engine API call as dockerd hands it to an authorization plugin (AuthZPlugin.AuthZReq), the wire
 * fields already decoded: the body is the bytes of RequestBody (base64 on the wire), or null when dockerd sent
 * none (it sends none for bodies it does not pass on, e.g. larger than its limit, or of other content types).
 *
 * @param method      RequestMethod ("POST")
 * @param uri         RequestUri, with the API version prefix and query ("/v1.41/containers/create?name=x")
 * @param body        RequestBody decoded, or null
 * @param headers     RequestHeaders
 * @param user        User: the client certificate's common name with TLS client auth, else empty
 * @param authnMethod UserAuthNMethod ("TLS", or empty)
 */
public record DockerApiRequest(String method, String uri, byte[] body, Map<String, String> headers, String user,
                               String authnMethod) {
    public DockerApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        user = user == null ? "" : user;
        authnMethod = authnMethod == null ? "" : authnMethod;
    }
}
