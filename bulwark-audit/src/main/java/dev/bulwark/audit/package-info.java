/**
 * Audits: the CIS Docker Benchmark on a live host ({@code dev.bulwark.audit.host}) and on the files that define
 * containers ({@code dev.bulwark.audit.file}: Dockerfiles, Compose files, Kubernetes manifests). Every check gives
 * a {@link dev.bulwark.model.AuditResult} saying what is wrong, where, and the exact change that fixes it.
 */
package dev.bulwark.audit;
