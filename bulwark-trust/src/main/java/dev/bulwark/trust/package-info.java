/** Provenance and trust: digests instead of tags, Bulwark's signatures in cosign's format, Notary / TUF content trust. */
package dev.bulwark.trust;
