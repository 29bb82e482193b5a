package dev.bulwark.server.store;

import dev.bulwark.server.ServerException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API tokens. Only a SHA-256 of each token is stored: tokens are 256 random bits, so a fast hash loses nothing to
 * guessing, and a stolen table grants nothing.
 */
public final class Tokens {
    /** Tokens start with this, so that a leaked one is recognisable (and secret scanners can find it). */
    public static final String PREFIX = "bwk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;

    public Tokens(Store store) {
        this.store = store;
    }

    public record Created(long id, String token) {
    }

    public record Info(long id, String name, Role role, OffsetDateTime createdAt, boolean revoked) {
    }

    /** Makes a token; the plain text is returned once and never stored. */
    public Created create(String name, Role role) throws ServerException {
        if (name == null || name.isBlank() || name.length() > 200) throw new IllegalArgumentException("a token needs a name of 1 to 200 characters");
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long id = store.inTx("create token", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO srv_token (name, role, hash, created_at) VALUES (?, ?, ?, ?)", new String[]{"id"})) {
                ps.setString(1, name.strip());
                ps.setString(2, role.wire());
                ps.setString(3, hash(token));
                ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Created(id, token);
    }

    /** The role of a presented token, or empty when it is unknown or revoked. */
    public Optional<Role> authenticate(String token) throws ServerException {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) return Optional.empty();
        String h = hash(token);
        return store.inTx("check token", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT role FROM srv_token WHERE hash = ? AND NOT revoked")) {
                ps.setString(1, h);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Role.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    public List<Info> list() throws ServerException {
        return store.inTx("list tokens", c -> {
            List<Info> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, role, created_at, revoked FROM srv_token ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Info(rs.getLong(1), rs.getString(2), Role.parse(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class), rs.getBoolean(5)));
            }
            return out;
        });
    }

    /** Revokes a token by id; false when there is none. */
    public boolean revoke(long id) throws ServerException {
        return store.inTx("revoke token", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE srv_token SET revoked = TRUE WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
