package dev.bulwark.audit.file;

/** The kinds of files {@link FileAuditor} audits. */
public enum FileKind {
    /** A Dockerfile or Containerfile (BuildKit syntax: heredocs, parser directives, multi-stage). */
    DOCKERFILE,
    /** A Compose file (Compose Specification: {@code services:} at the top level). */
    COMPOSE,
    /** Kubernetes manifests: one or more YAML documents with {@code apiVersion} and {@code kind}. */
    KUBERNETES
}
