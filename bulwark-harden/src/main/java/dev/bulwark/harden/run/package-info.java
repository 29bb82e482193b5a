/**
 * Hardened runs under runc: the image unpacked once (uid-shifted into the user namespace's range) and cached, an OCI
 * bundle per run, and the runner that streams, forwards signals, returns the status and cleans up. Facade: {@link
 * dev.bulwark.harden.run.Runner}.
 */
package dev.bulwark.harden.run;
