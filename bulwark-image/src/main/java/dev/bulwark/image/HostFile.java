package dev.bulwark.image;

import java.nio.file.Path;

/**
 * Implemented by the content stream of an entry that is a regular file on this machine (a root filesystem
 * source), so a reader that needs random access can open the file itself instead of copying the stream.
 * The path is a regular file, opened without following links.
 */
public interface HostFile {
    Path hostPath();
}
