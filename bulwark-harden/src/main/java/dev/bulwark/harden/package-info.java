/**
 * Least privilege for containers: seccomp and AppArmor profiles, hardened run settings, OCI runtime configs and the
 * runners that apply them.
 */
package dev.bulwark.harden;
