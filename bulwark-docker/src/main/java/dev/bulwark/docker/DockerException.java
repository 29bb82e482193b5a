package dev.bulwark.docker;

import dev.bulwark.model.BulwarkException;

/** A Docker Engine that cannot be reached or answered with an error. */
public class DockerException extends BulwarkException {
    private final int status;

    public DockerException(String where, String message, int status, Throwable cause) {
        super(where, message, cause);
        this.status = status;
    }

    /** HTTP status the engine answered with, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
