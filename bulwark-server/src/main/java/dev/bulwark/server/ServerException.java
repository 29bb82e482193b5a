package dev.bulwark.server;

import dev.bulwark.model.BulwarkException;

/** A problem of the server: what went wrong and where (the DB, a request, a job). */
public class ServerException extends BulwarkException {
    public ServerException(String where, String what, Throwable cause) {
        super(where, what, cause);
    }
}
