/**
 * Suppressing findings on the user's word: ignore files ({@code --ignorefile}) and VEX documents ({@code --vex}).
 *
 * <p>{@link dev.bulwark.match.suppress.Suppressions} is the facade: {@code load} reads the files (refusing any that
 * cannot be used at all with a {@link dev.bulwark.match.suppress.SuppressionException}, and turning unusable entries
 * into warnings), {@code apply} splits findings into kept and suppressed, optionally knowing the scanned image
 * ({@link dev.bulwark.match.suppress.ScanTarget}). The formats and the matching rules are described in
 * {@code docs/suppressions.md}.
 */
package dev.bulwark.match.suppress;
