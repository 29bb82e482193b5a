/**
 * Hardened runs under runc: the image unpacked once (uid-shifted into the user namespace's range) and cached, an OCI
 * bundle per run, and the runner that streams, forwards signals, returns the status and cleans up; under runc or, for
 * the sandbox {@link dev.bulwark.harden.run.Isolation level}, gVisor's runsc (the VM level is in {@code .vm}). Facade: {@link
 * dev.bulwark.harden.run.Runner}.
 */
package dev.bulwark.harden.run;
