/**
 * Hardened settings for an image, computed once from its config and rendered as docker run flags, a Compose service,
 * a Kubernetes Pod or JSON, so the forms cannot disagree. Facade: {@link dev.bulwark.harden.settings.Hardening}.
 */
package dev.bulwark.harden.settings;
