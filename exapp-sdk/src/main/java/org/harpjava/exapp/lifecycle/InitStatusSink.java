package org.harpjava.exapp.lifecycle;

/** Where initialisation progress goes: AppAPI's {@code ex-app/status}. */
@FunctionalInterface
public interface InitStatusSink {
    /**
     * @param progress 0 to 100
     * @param error    empty, or why initialisation failed
     */
    void send(int progress, String error) throws Exception;
}
