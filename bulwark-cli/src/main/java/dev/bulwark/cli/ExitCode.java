package dev.bulwark.cli;

/** The process exit codes, one meaning each. */
enum ExitCode {
    OK(0), FINDINGS(1), USAGE(2), INPUT(3), INTERNAL(4);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
