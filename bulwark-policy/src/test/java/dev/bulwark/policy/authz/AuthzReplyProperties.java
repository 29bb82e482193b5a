package dev.bulwark.policy.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.model.Decision;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written AuthZReq reply is JSON a strict reader takes back to the same message, whatever the message holds. */
class AuthzReplyProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AuthzHandler HANDLER = new AuthzHandler(() -> r -> Decision.allow("x", ""), null, null, null);

    @Property(tries = 500)
    void repliesParseBackToTheirMessage(@ForAll String message, @ForAll boolean allowed) throws Exception {
        // a lone surrogate cannot be UTF-8: the encoder writes '?' for it, as Jackson did
        String m = new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        Decision d = allowed ? new Decision(true, "r", "", List.of(m)) : Decision.deny("r", m);
        JsonNode n = JSON.readTree(HANDLER.reply(d));
        assertThat(n.get("Allow").asBoolean()).isEqualTo(allowed);
        assertThat(n.get("Err").asText()).isEmpty();
        String expected = allowed ? m : (m.isEmpty() ? "denied by policy" : m) + " (bulwark rule r)";
        assertThat(n.get("Msg").asText()).isEqualTo(expected);
        assertThat(n.size()).isEqualTo(3);
    }
}
