package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** A small client of the API for tests. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Answer get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    Answer post(String path, String token, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    Answer post(String path, String token, String json) throws Exception {
        return post(path, token, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private Answer send(HttpRequest r) throws Exception {
        HttpResponse<String> res = client.send(r, HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
    }

    /** Polls {@code path} until {@code done} holds for its JSON (or the time is up: an AssertionError with the last answer). */
    JsonNode await(String path, String token, Duration within, Predicate<JsonNode> done) throws Exception {
        Instant end = Instant.now().plus(within);
        Answer last = null;
        while (Instant.now().isBefore(end)) {
            last = get(path, token);
            if (last.status() == 200 && done.test(last.json())) return last.json();
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within " + within + " on " + path + "; last answer: "
                + (last == null ? "none" : last.status() + " " + last.body()));
    }
}
