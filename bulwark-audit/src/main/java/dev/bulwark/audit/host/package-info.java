/**
 * {@code bulwark audit docker}: the CIS Docker Benchmark (v1.6.0 numbering, v1.7.0 changes, v1.8.0's devicemapper
 * check) on a live Docker host. The facade is {@link dev.bulwark.audit.host.HostAuditor}; {@link
 * dev.bulwark.audit.host.HostView} says where the host's files and the daemon's command line are;
 * {@link dev.bulwark.audit.host.CheckInfo} describes the catalogue and {@link dev.bulwark.audit.host.SectionScore}
 * the per-section score. Everything else is package-private: the facts gathered once per audit ({@code Facts}), the
 * daemon's settings ({@code DaemonArgs}, {@code DaemonSettings}, {@code DaemonProcess}), host files ({@code HostFs},
 * {@code AuditRules}, {@code Mounts}) and the checks of each section. See docs/audit-host.md.
 */
package dev.bulwark.audit.host;
