package dev.bulwark.cli;

/** The process exit codes, one meaning each. */
enum ExitCode {
    OK(0), FINDINGS(1), USAGE(2), INPUT(3), INTERNAL(4);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /**
     * Says in one line what went wrong and returns the exit code that means it: bad input (Bulwark's own
     * exceptions, I/O) 3, bad usage 2, interruption 4. Every command ends its failures here.
     */
    static int report(Exception e, java.io.PrintWriter err) {
        if (e instanceof dev.bulwark.model.BulwarkException b) {
            err.println("bulwark: " + b.oneLine());
            return INPUT.code;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("bulwark: " + e.getMessage());
            return USAGE.code;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("bulwark: interrupted");
            return INTERNAL.code;
        }
        err.println("bulwark: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return INPUT.code;
    }
}
