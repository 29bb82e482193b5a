package dev.bulwark.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A normalised image reference: registry host, repository path, and a tag and/or digest, following the rules of
 * the Docker reference grammar (default registry docker.io, "library/" for one-component names there, default tag
 * "latest" when neither tag nor digest is given).
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile("(?:[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");

    public ImageRef {
        if (registry == null || registry.isEmpty() || repository == null || repository.isEmpty())
            throw new IllegalArgumentException("image reference needs a registry and a repository");
        if (tag == null && digest == null) tag = "latest";
    }

    public static ImageRef parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty image reference");
        String rest = s.trim();
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw new IllegalArgumentException("invalid tag '" + tag + "' in '" + s + "'");
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost") || !head.equals(head.toLowerCase(Locale.ROOT))) {
                if (!DOMAIN.matcher(head).matches()) throw new IllegalArgumentException("invalid registry '" + head + "' in '" + s + "'");
                registry = head;
                path = rest.substring(first + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) registry = DOCKER_HUB;
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches())
                throw new IllegalArgumentException("invalid repository name '" + path + "' in '" + s + "'");
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) path = "library/" + path;
        return new ImageRef(registry, path, tag, digest);
    }

    /** The same repository at another digest (tag kept for display). */
    public ImageRef withDigest(Digest d) {
        return new ImageRef(registry, repository, tag, d);
    }

    /** What goes after /v2/{name}/manifests/: the digest if pinned, else the tag. */
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The familiar short form users type ("alpine:3.20" rather than "docker.io/library/alpine:3.20"). */
    public String familiar() {
        String name = registry.equals(DOCKER_HUB)
                ? (repository.startsWith("library/") ? repository.substring(8) : repository)
                : registry + "/" + repository;
        return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
