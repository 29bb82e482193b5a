package dev.bulwark.server.api;

/**
 * An RFC 9457 problem: thrown by a route, written as application/problem+json. {@code detail} is one line for a
 * person; no stack trace or internal detail ever reaches the client.
 */
final class Problem extends Exception {
    final int status;
    final String title;

    Problem(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail);
    }
}
