package dev.bulwark.image;

/** Kinds of filesystem entries a layer can hold. */
public enum EntryType {
    FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER
}
