package org.harpjava.server;

/** Version of this build, from the jar manifest. */
public final class HarpVersion {
    private HarpVersion() {
    }

    /** The implementation version, or {@code dev} when run from classes. */
    public static String implementation() {
        String v = HarpVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
